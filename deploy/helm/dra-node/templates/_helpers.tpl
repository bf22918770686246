{{- define "dra-node.name" -}}dra-node{{- end -}}
{{- define "dra-node.labels" -}}
app.kubernetes.io/name: dra-node
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
