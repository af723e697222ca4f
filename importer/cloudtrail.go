package importer

import (
	"context"

	"casebook/model"
)

// AWS CloudTrail: {"Records":[…]} files as delivered to S3 (streamed one
// record at a time, never loaded whole), and one event per line (CloudTrail
// Lake and CloudWatch exports). Country is left empty: the case's IP table
// fills it later.

func init() {
	Register(Format{
		Name:    "cloudtrail",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "AWS CloudTrail log (Records file or one event per line)",
		Detect:  detectCloudTrail,
		Parse:   parseCloudTrail,
	})
}

func detectCloudTrail(name string, head []byte) int {
	if c := firstNonSpace(head); c != '{' && c != '[' {
		return 0
	}
	n := headHas(head, `"eventVersion"`, `"eventSource"`, `"eventName"`, `"userIdentity"`, `"awsRegion"`, `"sourceIPAddress"`)
	if n < 4 {
		return 0
	}
	score := 80 + 2*n
	if headHas(head, `"Records"`) > 0 {
		score += 3
	}
	return min(score, 97)
}

func parseCloudTrail(ctx context.Context, in Input, sink Sink) (Meta, error) {
	return parseKnownJSON(ctx, in, sink, func(f jsonFields, e *model.Event) {
		e.TimeText = f.first("eventTime")
		e.ActorName = f.first("userIdentity.arn", "userIdentity.userName", "userIdentity.principalId",
			"userIdentity.invokedBy", "userIdentity.type")
		e.ActorID = f.first("userIdentity.principalId", "userIdentity.accessKeyId", "userIdentity.accountId")
		e.IP = ipOnly(f.first("sourceIPAddress"))
		e.Action = f.first("eventName")
		e.System = f.first("eventSource")
		e.Resource = f.first("resources.0.ARN", "resources.0.arn")
		if e.Resource == "" {
			if b := f.first("requestParameters.bucketName"); b != "" {
				e.Resource = "s3://" + b
				if k := f.first("requestParameters.key"); k != "" {
					e.Resource += "/" + k
				}
			} else {
				e.Resource = f.first("requestParameters.tableName", "requestParameters.functionName",
					"requestParameters.roleName", "requestParameters.userName", "requestParameters.instanceId",
					"requestParameters.name", "requestParameters.secretId", "requestParameters.keyId")
			}
		}
		if c := f.first("errorCode"); c != "" {
			e.Purpose = "error " + c
			if m := f.first("errorMessage"); m != "" {
				e.Purpose += ": " + m
			}
		}
	})
}
