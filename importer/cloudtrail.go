package importer

import (
	"context"
	"strings"

	"casebook/model"
)

// AWS CloudTrail: {"Records":[…]} files as delivered to S3 (streamed one
// record at a time, never loaded whole), and one event per line (CloudTrail
// Lake and CloudWatch exports), and the records `aws cloudtrail
// lookup-events` prints (EventTime, Username, EventName, and the full record
// as a JSON string under CloudTrailEvent, read as the record itself).
// Country is left empty: the case's IP table fills it later.

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
		// The lookup-events shape: the record's keys sit escaped inside
		// the CloudTrailEvent string, the outer keys are capitalised.
		if headHas(head, `"CloudTrailEvent"`) > 0 &&
			headHas(head, `"EventName"`, `"EventTime"`, `"EventSource"`, `"EventId"`, `"Username"`) >= 3 {
			return 90
		}
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
		f = withCloudTrailEvent(f)
		e.TimeText = f.first("eventTime", "EventTime")
		e.ActorName = f.first("userIdentity.arn", "userIdentity.userName", "userIdentity.principalId",
			"userIdentity.invokedBy", "userIdentity.type", "Username")
		e.ActorID = f.first("userIdentity.principalId", "userIdentity.accessKeyId", "userIdentity.accountId", "AccessKeyId")
		e.IP = ipOnly(f.first("sourceIPAddress"))
		e.Action = f.first("eventName", "EventName")
		e.System = f.first("eventSource", "EventSource")
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
					"requestParameters.name", "requestParameters.secretId", "requestParameters.keyId",
					"Resources.0.ResourceName")
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

// withCloudTrailEvent returns f with the record held as a JSON string under
// CloudTrailEvent (the lookup-events shape) read into its keys; the outer
// keys (EventTime, Username, …) stay as fallbacks. f is returned as it is
// when there is no such string or it is not a JSON object.
func withCloudTrailEvent(f jsonFields) jsonFields {
	s := strings.TrimSpace(f["CloudTrailEvent"])
	if !strings.HasPrefix(s, "{") {
		return f
	}
	inner, bad := decodeObject([]byte(s))
	if bad != "" {
		return f
	}
	for k, v := range f {
		if _, ok := inner[k]; !ok && k != "CloudTrailEvent" {
			inner[k] = v
		}
	}
	return jsonFields(inner)
}
