{{/* internflow, or <release>-internflow when the release name does not say it. */}}
{{- define "internflow.fullname" -}}
{{- if contains "internflow" .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-internflow" .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "internflow.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: internflow
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
{{- end -}}

{{/* The labels a component's pods carry and are selected by. Call with (list $ "api"). */}}
{{- define "internflow.selectorLabels" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ include "internflow.fullname" $ }}-{{ index . 1 }}
app.kubernetes.io/instance: {{ $.Release.Name }}
{{- end -}}

{{- define "internflow.podLabels" -}}
{{ include "internflow.selectorLabels" . }}
app.kubernetes.io/component: {{ index . 1 }}
app.kubernetes.io/part-of: internflow
{{- end -}}

{{- define "internflow.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "internflow.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "internflow.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/* Non-root, no token, the runtime's seccomp profile: every pod. */}}
{{- define "internflow.podSecurity" -}}
automountServiceAccountToken: false
securityContext:
  runAsNonRoot: true
  runAsUser: 65532
  runAsGroup: 65532
  seccompProfile:
    type: RuntimeDefault
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "internflow.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: ["ALL"]
{{- end -}}

{{/* The ConfigMap, the app's Secret and the Temporal API key Secret. */}}
{{- define "internflow.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "internflow.fullname" . }}-config
  - secretRef:
      name: {{ required "secrets.existingSecret names the Secret with DATABASE_URL, LINK_SECRET and PAYLOAD_KEYS" .Values.secrets.existingSecret }}
{{- end -}}

{{- define "internflow.temporalEnv" -}}
{{- with .Values.temporal.apiKey.existingSecret }}
- name: TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.temporal.apiKey.key }}
{{- end }}
{{- end -}}

{{/* Mounts for the Temporal certificates (only for containers that reach Temporal). */}}
{{- define "internflow.temporalMounts" -}}
{{- if .Values.temporal.tls.clientCertSecret }}
- name: temporal-tls
  mountPath: /etc/temporal-tls
  readOnly: true
{{- end }}
{{- if .Values.temporal.tls.caSecret }}
- name: temporal-ca
  mountPath: /etc/temporal-ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "internflow.temporalVolumes" -}}
{{- with .Values.temporal.tls.clientCertSecret }}
- name: temporal-tls
  secret:
    secretName: {{ . }}
    defaultMode: 0440
{{- end }}
{{- with .Values.temporal.tls.caSecret }}
- name: temporal-ca
  secret:
    secretName: {{ . }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{/*
GOMEMLIMIT: goMemLimitPercent of a memory limit written in Mi or Gi, in
MiB (the Go runtime's unit). Call with (list $ "512Mi").
*/}}
{{- define "internflow.goMemLimit" -}}
{{- $ := index . 0 -}}
{{- $limit := toString (index . 1) -}}
{{- $pct := int $.Values.goMemLimitPercent -}}
{{- if or (lt $pct 50) (gt $pct 95) -}}
{{- fail (printf "goMemLimitPercent %d: keep it between 50 and 95 (90 leaves the runtime room for what is not Go heap)" $pct) -}}
{{- end -}}
{{- $mib := 0 -}}
{{- if regexMatch "^[0-9]+Gi$" $limit -}}
{{- $mib = mul (trimSuffix "Gi" $limit | int) 1024 -}}
{{- else if regexMatch "^[0-9]+Mi$" $limit -}}
{{- $mib = trimSuffix "Mi" $limit | int -}}
{{- else -}}
{{- fail (printf "memory limit %q: write it in Mi or Gi (e.g. 512Mi) so GOMEMLIMIT can be set from it" $limit) -}}
{{- end -}}
{{- printf "%dMiB" (div (mul $mib $pct) 100) -}}
{{- end -}}

{{/* The host of BASE_URL, where links point. */}}
{{- define "internflow.host" -}}
{{- .Values.ingress.host | default (urlParse .Values.config.BASE_URL).host -}}
{{- end -}}
