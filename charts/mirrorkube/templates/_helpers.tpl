{{/* The chart's name, or nameOverride. */}}
{{- define "mirrorkube.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The name of the release's objects: the release name, with the chart's name unless it contains it. */}}
{{- define "mirrorkube.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "mirrorkube.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mirrorkube.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mirrorkube.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mirrorkube.labels" -}}
helm.sh/chart: {{ include "mirrorkube.chart" . }}
{{ include "mirrorkube.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mirrorkube
{{- end }}

{{- define "mirrorkube.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mirrorkube.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "mirrorkube.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "mirrorkube.leaseName" -}}
{{- default (printf "%s-manager" (include "mirrorkube.fullname" .)) .Values.leaderElection.leaseName }}
{{- end }}

{{/* The one ValidatingWebhookConfiguration the manager writes its webhooks into. */}}
{{- define "mirrorkube.webhookConfigurationName" -}}
{{- include "mirrorkube.fullname" . }}
{{- end }}

{{- define "mirrorkube.webhookServiceName" -}}
{{- printf "%s-webhook" (include "mirrorkube.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt) the webhook server serves. */}}
{{- define "mirrorkube.webhookSecretName" -}}
{{- printf "%s-webhook-tls" (include "mirrorkube.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The names the API server may call the webhook Service by. */}}
{{- define "mirrorkube.webhookDNSNames" -}}
{{- $svc := include "mirrorkube.webhookServiceName" . }}
{{- list (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) (printf "%s.%s" $svc .Release.Namespace) | toJson }}
{{- end }}

{{/* The label the leader puts on its own Pod (--leader-pod-label): the webhook Service selects it. */}}
{{- define "mirrorkube.leaderLabel" -}}
mirrorkube.dev/leader
{{- end }}

{{/* Where the webhook certificate is mounted (controller-runtime's default directory). */}}
{{- define "mirrorkube.webhookCertDir" -}}
/tmp/k8s-webhook-server/serving-certs
{{- end }}
