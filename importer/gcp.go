package importer

import (
	"context"

	"casebook/model"
)

// GCP Cloud Audit Logs (protoPayload of type AuditLog), as exported by
// `gcloud logging read --format=json` (a JSON array) or by a log sink (one
// entry per line).

func init() {
	Register(Format{
		Name:    "gcp-audit",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "GCP Cloud Audit Logs (protoPayload AuditLog entries)",
		Detect:  detectGCP,
		Parse:   parseGCP,
	})
}

func detectGCP(name string, head []byte) int {
	if c := firstNonSpace(head); c != '{' && c != '[' {
		return 0
	}
	if headHas(head, `"protoPayload"`) == 0 {
		return 0
	}
	n := headHas(head, `google.cloud.audit.AuditLog`, `"methodName"`, `"serviceName"`, `"principalEmail"`, `"logName"`)
	if n < 2 {
		return 0
	}
	return min(85+2*n, 97)
}

func parseGCP(ctx context.Context, in Input, sink Sink) (Meta, error) {
	return parseKnownJSON(ctx, in, sink, func(f jsonFields, e *model.Event) {
		e.TimeText = f.first("timestamp", "receiveTimestamp")
		e.ActorName = f.first("protoPayload.authenticationInfo.principalEmail",
			"protoPayload.authenticationInfo.principalSubject",
			"protoPayload.authenticationInfo.serviceAccountDelegationInfo.0.firstPartyPrincipal.principalEmail")
		e.ActorID = f.first("protoPayload.authenticationInfo.principalSubject")
		if e.ActorID == e.ActorName {
			e.ActorID = ""
		}
		e.IP = ipOnly(f.first("protoPayload.requestMetadata.callerIp"))
		e.Action = f.first("protoPayload.methodName")
		e.System = f.first("protoPayload.serviceName", "resource.type")
		e.Resource = f.first("protoPayload.resourceName", "resource.labels.bucket_name", "resource.labels.dataset_id")
		if s := f.first("protoPayload.status.code"); s != "" && s != "0" {
			e.Purpose = "status " + s
			if m := f.first("protoPayload.status.message"); m != "" {
				e.Purpose += ": " + m
			}
		}
	})
}
