package messaging

// spanish is every message in Spanish. Students are addressed with "tú",
// parents, employers and staff with "usted". Texts are written with full
// accents; SMS rendering folds á, í, ó, ú to GSM-7 letters (é, ñ, ¿, ¡ are
// GSM-7 already) so a text keeps 153 characters per segment.
var spanish = language{
	Stop:           "Responde STOP para cancelar.",
	OpenLink:       "Abrir",
	HomePage:       "Tu página:",
	Footer:         "Recibe este mensaje porque participa en {{.program}}. ¿Preguntas? Contacte a {{.contact}}.",
	StaffFooter:    "Recibe este mensaje como parte del personal de {{.program}}. ¿Preguntas? Comuníquese con la persona que administra internflow en su distrito.",
	DigestSubject:  "{{.count}} pendientes para usted - {{.program}}",
	DigestGreeting: "Hola{{with .recipient_name}} {{.}}{{end}}:",
	DigestIntro:    "Estos pendientes esperan su respuesta. Cada enlace abre uno de ellos:",
	InboxIntro:     "Estos pendientes esperan su respuesta. Su bandeja muestra todo lo que tiene pendiente, primero lo atrasado, y desde ahí puede hacer cada cosa.",
	InboxLink:      "Abrir su bandeja",
	InboxSMS:       "{{.count}} pendientes esperan su respuesta ({{.names}}). Véalos y hágalos todos aquí:",
	Status: map[string]string{
		"submitted": "enviada", "reviewing": "en revisión", "interview": "invitación a entrevista",
		"offer": "con oferta", "declined": "no seleccionada", "accepted": "aceptada", "withdrawn": "retirada",
	},
	Channel: map[string]string{"sms": "mensaje de texto", "email": "correo electrónico"},
	Code:    "es",
	Reason: map[string]string{
		"invalid": "el número o la dirección no funciona", "unsubscribed": "se dio de baja",
		"opted_out": "respondió STOP", "bounced": "el correo rebotó", "spamreport": "marcó el correo como spam",
		"failed": "el proveedor rechazó el mensaje", "no_contact": "no hay teléfono ni correo",
	},
	Party: map[string]string{"student": "a %s", "guardian": "al padre, madre o tutor de %s", "employer": "al supervisor de %s"},
	Role:  map[string]string{"student": "estudiante", "guardian": "padre, madre o tutor de %s", "employer": "supervisor de %s"},
	Steps: map[string]string{
		"survey": "encuesta de intereses", "badge_upload": "currículum y carta de presentación",
		"badge_review": "revisión de la insignia Intern Ready", "applying": "solicitudes", "decision": "decisión de contratación",
		"offer": "respuesta a una oferta", "mou": "convenio (MOU) del empleador", "permit_sign": "firma del permiso de trabajo",
		"permit_approval": "aprobación del permiso de trabajo", "permit_correction": "corrección del permiso de trabajo", "trainings": "capacitaciones", "timesheet": "hoja de horas",
		"timesheet_week": "hoja de horas de la semana del %s", "hours_short": "horas requeridas", "deliverable": "proyecto",
		"deliverable_review": "revisión del proyecto", "reflection": "reflexión", "feedback": "evaluación del empleador",
		"found_vetting": "revisión de la pasantía que encontró", "found_changes": "corrección de la pasantía que encontró",
		"found_confirm": "confirmación del supervisor de la pasantía que encontró",
	},
	Waiting: map[string]string{
		"student": "del estudiante", "guardian": "de un padre, madre o tutor", "employer": "del supervisor",
		"permit_issuer": "de quien aprueba los permisos", "coordinator": "de la coordinación", "mou": "de la aprobación del MOU",
		"district_ops": "de operaciones del distrito",
	},
	Covering: map[string]string{
		"coordinator":   "%s no tiene coordinador, así que esto le llega a usted. Un administrador del distrito puede nombrar uno en la página Personal.",
		"permit_issuer": "%s no tiene quien apruebe los permisos, así que esto le llega a usted. Un administrador del distrito puede nombrar a alguien en la página Personal.",
	},
	Templates: map[string]content{
		// A estudiantes.
		"survey_invite": {
			SMS:     "Hola {{.student_first_name}}, ¡te damos la bienvenida! ¿Qué pasantía buscas? Encuesta de 5 min:",
			Subject: "Te damos la bienvenida a {{.program}}: una encuesta de 5 minutos",
			Body:    "Hola {{.student_first_name}}:\n\n¡Te damos la bienvenida a {{.program}}! Cuéntanos qué área, horario y tipo de trabajo te interesan. La encuesta toma unos 5 minutos.",
		},
		"survey_nudge": {
			SMS:     "Hola {{.student_first_name}}, tu encuesta de pasantías sigue pendiente. Toma 5 minutos:",
			Subject: "Tu encuesta de pasantías está pendiente",
			Body:    "Hola {{.student_first_name}}:\n\nTu encuesta de intereses sigue abierta. Toma unos 5 minutos y es el primer paso hacia una pasantía.",
		},
		"badge_upload_nudge": {
			SMS:     "Hola {{.student_first_name}}, sube tu currículum y carta de presentación para ganar tu insignia Intern Ready:",
			Subject: "Sube tu currículum para ser Intern Ready",
			Body:    "Hola {{.student_first_name}}:\n\nSube tu currículum y tu carta de presentación. Cuando tu coordinador los apruebe, ganarás la insignia Intern Ready y podrás postularte a pasantías.",
		},
		"badge_returned": {
			SMS:     "Hola {{.student_first_name}}, tu coordinador te devolvió el currículum: \"{{.comment}}\" Corrígelo aquí:",
			Subject: "Tu currículum necesita algunos cambios",
			Body:    "Hola {{.student_first_name}}:\n\nTu coordinador revisó tu currículum y tu carta de presentación y pidió cambios:\n\n\"{{.comment}}\"\n\nCorrígelos y envíalos de nuevo.",
		},
		"badge_approved": {
			SMS:     "¡Felicidades {{.student_first_name}}, ya eres Intern Ready! Empieza a postularte a pasantías:",
			Subject: "¡Ya eres Intern Ready!",
			Body:    "¡Felicidades {{.student_first_name}}!\n\nTu coordinador aprobó tu currículum y tu carta de presentación: ganaste la insignia Intern Ready. Ya puedes postularte a pasantías.",
		},
		"applying_nudge": {
			SMS:     "Hola {{.student_first_name}}, hay pasantías abiertas. Encuentra una para ti y postúlate:",
			Subject: "Hay pasantías abiertas: postúlate",
			Body:    "Hola {{.student_first_name}}:\n\nLos empleadores esperan solicitudes. Revisa las pasantías abiertas y postúlate a las que te interesen.",
		},
		"application_update": {
			SMS:     "Hola {{.student_first_name}}, tu solicitud a {{.posting_title}}: {{status .status}}. Detalles:",
			Subject: "Novedades de tu solicitud a {{.posting_title}}",
			Body:    "Hola {{.student_first_name}}:\n\nTu solicitud a {{.posting_title}} tiene un nuevo estado: {{status .status}}.",
		},
		"offer_nudge": {
			SMS:     "Hola {{.student_first_name}}, ¡tienes una oferta de pasantía en {{.posting_title}}! Acéptala o recházala aquí:",
			Subject: "Tienes una oferta de pasantía",
			Body:    "Hola {{.student_first_name}}:\n\nTienes una oferta para {{.posting_title}}. Acéptala o recházala para que el empleador pueda organizarse.",
		},
		"permit_sign_request": {
			SMS:     "Hola {{.student_first_name}}, tu permiso de trabajo para {{.employer_name}} está listo. Fírmalo aquí:",
			Subject: "Firma tu permiso de trabajo",
			Body:    "Hola {{.student_first_name}}:\n\nTu permiso de trabajo para tu pasantía en {{.employer_name}} está listo para tu firma. Tu padre, madre o tutor y el empleador también lo firman.",
		},
		"permit_rejected": {
			SMS:     "Hola {{.student_first_name}}, tu permiso de trabajo no fue aprobado: \"{{.reason}}\" Se está corrigiendo; luego recibirás uno nuevo.",
			Subject: "Tu permiso de trabajo necesita cambios",
			Body:    "Hola {{.student_first_name}}:\n\nLa escuela todavía no pudo aprobar tu permiso de trabajo:\n\n\"{{.reason}}\"\n\nTu coordinador/a lo está corrigiendo. Recibirás en otro mensaje el permiso corregido para firmar.",
		},
		"permit_rejected@guardian": {
			SMS:     "Hola {{.recipient_name}}, el permiso de su hijo/a {{.student_first_name}} no fue aprobado: \"{{.reason}}\" Luego recibirá uno corregido.",
			Subject: "El permiso de trabajo de su hijo/a {{.student_first_name}} necesita cambios",
			Body:    "Hola {{.recipient_name}}:\n\nLa escuela todavía no pudo aprobar el permiso de trabajo de su hijo/a {{.student_first_name}}:\n\n\"{{.reason}}\"\n\nLa escuela lo está corrigiendo. Recibirá en otro mensaje el permiso corregido para firmar.",
		},
		"permit_rejected@employer": {
			SMS:     "Hola {{.recipient_name}}, el permiso de su pasante {{.student_first_name}} no fue aprobado: \"{{.reason}}\" Luego recibirá uno corregido.",
			Subject: "El permiso de trabajo de {{.student_first_name}} necesita cambios",
			Body:    "Hola {{.recipient_name}}:\n\nLa escuela todavía no pudo aprobar el permiso de trabajo de su pasante {{.student_first_name}}:\n\n\"{{.reason}}\"\n\nRecibirá en otro mensaje el permiso corregido para firmar.",
		},
		"permit_resign_request": {
			SMS:     "Hola {{.student_first_name}}, tu permiso de trabajo se corrigió{{if .changes}}: {{.changes}}.{{else}}; no cambió nada.{{end}} Firma la nueva versión:",
			Subject: "Firma tu permiso de trabajo corregido",
			Body:    "Hola {{.student_first_name}}:\n\nLa escuela no pudo aprobar tu permiso de trabajo para {{.employer_name}}:\n\n\"{{.reason}}\"\n\n{{if .changes}}Ya se corrigió. Qué cambió:\n{{.changes}}{{else}}No hubo que cambiar nada, pero hay que firmarlo de nuevo.{{end}}\n\nFirma la nueva versión.",
		},
		"permit_resign_request@guardian": {
			SMS:     "Hola {{.recipient_name}}, el permiso de su hijo/a {{.student_first_name}} se corrigió{{if .changes}}: {{.changes}}.{{else}}; no cambió nada.{{end}} Firme la nueva versión:",
			Subject: "Firme el permiso de trabajo corregido de {{.student_first_name}}",
			Body:    "Hola {{.recipient_name}}:\n\nLa escuela no pudo aprobar el permiso de trabajo de su hijo/a {{.student_first_name}}:\n\n\"{{.reason}}\"\n\n{{if .changes}}Ya se corrigió. Qué cambió:\n{{.changes}}{{else}}No hubo que cambiar nada, pero hay que firmarlo de nuevo.{{end}}\n\nFirme la nueva versión como padre, madre o tutor.",
		},
		"permit_resign_request@employer": {
			SMS:     "Hola {{.recipient_name}}, el permiso de su pasante {{.student_first_name}} se corrigió{{if .changes}}: {{.changes}}.{{else}}; no cambió nada.{{end}} Firme la nueva versión:",
			Subject: "Firme el permiso de trabajo corregido de {{.student_first_name}}",
			Body:    "Hola {{.recipient_name}}:\n\nLa escuela no pudo aprobar el permiso de trabajo de su pasante {{.student_first_name}}:\n\n\"{{.reason}}\"\n\n{{if .changes}}Ya se corrigió. Qué cambió:\n{{.changes}}{{else}}No hubo que cambiar nada, pero hay que firmarlo de nuevo.{{end}}\n\nFirme la nueva versión como empleador.",
		},
		"permit_correction_employer": {
			SMS:     "Hola {{.recipient_name}}, el permiso de su pasante {{.student_first_name}} no fue aprobado: \"{{.reason}}\" Corrija sus datos aquí:",
			Subject: "Corrija el permiso de trabajo de {{.student_first_name}}",
			Body:    "Hola {{.recipient_name}}:\n\nLa escuela no pudo aprobar el permiso de trabajo de su pasante {{.student_first_name}}:\n\n\"{{.reason}}\"\n\nSi los datos del empleador (supervisor, puesto, horas, horario, pago) están mal, corríjalos con el enlace de abajo; después el permiso corregido se envía para firmar. Si no, la escuela lo corrige y usted recibirá el nuevo para firmar.",
		},
		"permit_correction_request": {
			SMS:     "Hola {{.recipient_name}}, el permiso de {{.student_first_name}} fue rechazado: \"{{.reason}}\" Corríjalo para enviar otra versión:",
			Subject: "Corrija el permiso de trabajo de {{.student_first_name}}",
			Body:    "Hola {{.recipient_name}}:\n\nQuien aprueba los permisos rechazó el permiso de trabajo de {{.student_first_name}}:\n\n\"{{.reason}}\"\n\nCorrija el permiso en la página del estudiante (o confirme que está bien así); después la nueva versión va al estudiante, a un padre y al empleador para firmar. El empleador también puede corregir sus propios datos desde su correo.",
		},
		"permit_approved": {
			SMS:     "Hola {{.student_first_name}}, buenas noticias: la escuela aprobó tu permiso de trabajo para {{.employer_name}}.",
			Subject: "Tu permiso de trabajo está aprobado",
			Body:    "Hola {{.student_first_name}}:\n\nBuenas noticias: la escuela aprobó tu permiso de trabajo para tu pasantía en {{.employer_name}}. Gracias por firmar.",
		},
		"permit_approved@guardian": {
			SMS:     "Hola {{.recipient_name}}, la escuela aprobó el permiso de trabajo de su hijo/a {{.student_first_name}} para {{.employer_name}}. Gracias por firmar.",
			Subject: "El permiso de trabajo de su hijo/a {{.student_first_name}} está aprobado",
			Body:    "Hola {{.recipient_name}}:\n\nLa escuela aprobó el permiso de trabajo de su hijo/a {{.student_first_name}} para la pasantía en {{.employer_name}}. Gracias por firmar.",
		},
		"permit_approved@employer": {
			SMS:     "Hola {{.recipient_name}}, la escuela aprobó el permiso de trabajo de su pasante {{.student_first_name}}. Gracias por firmar.",
			Subject: "El permiso de trabajo de {{.student_first_name}} está aprobado",
			Body:    "Hola {{.recipient_name}}:\n\nLa escuela aprobó el permiso de trabajo de su pasante {{.student_first_name}} en {{.employer_name}}. Gracias por firmar.",
		},
		"permit_approved_staff": {
			SMS:     "El permiso de trabajo de {{.student_first_name}} para {{.employer_name}} está aprobado.",
			Subject: "El permiso de trabajo de {{.student_first_name}} está aprobado",
			Body:    "Hola {{.recipient_name}}:\n\nQuien aprueba los permisos aprobó el permiso de trabajo de {{.student_first_name}} para la pasantía en {{.employer_name}}. El permiso firmado está en la página del estudiante.",
		},
		"training_nudge": {
			SMS:     "Hola {{.student_first_name}}, termina tu capacitación {{.training_name}} antes de tu primer día:",
			Subject: "Termina tu capacitación {{.training_name}}",
			Body:    "Hola {{.student_first_name}}:\n\nTu pasantía requiere la capacitación {{.training_name}}. Termínala y sube tu certificado antes de tu primer día.",
		},
		"trainings_available": {
			SMS:     "Hola {{.student_first_name}}, ya puedes hacer las capacitaciones de tu pasantía, antes de que te contraten. Sube cada certificado aquí:",
			Subject: "Ya puedes hacer las capacitaciones de tu pasantía",
			Body:    "Hola {{.student_first_name}}:\n\nLas capacitaciones que requiere tu pasantía ya están abiertas para ti, antes de que te contraten. Cada certificado que subas cuenta y no te lo volveremos a pedir. Abre el enlace para ver cuáles son y subir tus certificados.",
		},
		"timesheet_nudge": {
			SMS:     "Hola {{.student_first_name}}, terminó la semana del {{date .week}}: agrega tus horas para que tu supervisor las apruebe:",
			Subject: "Agrega tus horas de la semana del {{date .week}}",
			Body:    "Hola {{.student_first_name}}:\n\nTerminó la semana del {{date .week}}. Agrega las horas que trabajaste para que tu supervisor las apruebe.",
		},
		"timesheet_correction": {
			SMS:     "Hola {{.student_first_name}}, corrige tu hoja de horas de la semana del {{date .week}}: \"{{.note}}\"",
			Subject: "Corrige tu hoja de horas de la semana del {{date .week}}",
			Body:    "Hola {{.student_first_name}}:\n\nTu supervisor pidió una corrección en tu hoja de horas de la semana del {{date .week}}:\n\n\"{{.note}}\"",
		},
		"reflection_nudge": {
			SMS:     "Hola {{.student_first_name}}, ¡ya casi terminas! Escribe tu breve reflexión para finalizar:",
			Subject: "Un último paso: tu reflexión",
			Body:    "Hola {{.student_first_name}}:\n\nYa casi terminas. Escribe una breve reflexión sobre lo que aprendiste para completar tu pasantía.",
		},
		"deliverable_nudge": {
			SMS:     "Hola {{.student_first_name}}, recuerda entregar tu proyecto \"{{.project_title}}\":",
			Subject: "Entrega tu proyecto: {{.project_title}}",
			Body:    "Hola {{.student_first_name}}:\n\nTodavía no has entregado tu proyecto \"{{.project_title}}\". Súbelo para que tu supervisor lo revise.",
		},
		"deliverable_changes": {
			SMS:     "Hola {{.student_first_name}}, tu supervisor pidió cambios en \"{{.project_title}}\": \"{{.comment}}\"",
			Subject: "Cambios solicitados en {{.project_title}}",
			Body:    "Hola {{.student_first_name}}:\n\nTu supervisor revisó \"{{.project_title}}\" y pidió cambios:\n\n\"{{.comment}}\"",
		},
		"journey_completed": {
			SMS:     "¡Felicidades {{.student_first_name}}, completaste tu pasantía! Tu certificado:",
			Subject: "¡Completaste {{.program}}!",
			Body:    "¡Felicidades {{.student_first_name}}!\n\nCompletaste tu pasantía. Tu certificado está listo para descargar y compartir.",
		},
		// Respuestas a un texto que la persona envió (sin horario de silencio).
		"district_news": {
			SMS:     "Hola {{.student_first_name}}, noticias de tu escuela: {{.note}} Tu página:",
			Subject: "Noticias de {{.program}}",
			Body:    "Hola {{.student_first_name}}:\n\nNoticias de tu escuela:\n\n{{.note}}\n\nTu página de pasantía muestra cada paso y qué hacer ahora.",
		},
		"district_reminder": {
			SMS:     "Hola {{.student_first_name}}, un recordatorio de tu escuela: {{.note}} Mira tu próximo paso:",
			Subject: "Un recordatorio de {{.program}}",
			Body:    "Hola {{.student_first_name}}:\n\nUn recordatorio de tu escuela:\n\n{{.note}}\n\nTu página de pasantía muestra tu próximo paso.",
		},
		"home_link": {
			SMS:     "Hola {{.student_first_name}}, tu página de pasantía: cada paso, qué hacer ahora y tus horas. Guarda este enlace:",
			Subject: "Tu página de pasantía",
			Body:    "Hola {{.student_first_name}}:\n\nAquí está tu página de pasantía: cada paso de {{.program}}, qué hacer ahora, tus solicitudes, tu pasantía y tus horas. Guarda este enlace; es solo para ti.",
		},
		"home_link@guardian": {
			SMS:     "Hola, la página de pasantía de {{.student_first_name}} para usted: lo que necesitamos de usted y lo que firmó:",
			Subject: "La página de pasantía de su estudiante",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nAquí está la página de pasantía de {{.student_first_name}} para usted: lo que {{.program}} necesita de usted, lo que ya firmó y a quién contactar. Guarde este enlace; es solo para usted.",
		},
		"contact_help": {
			SMS:     "Para ayuda, responde con tu pregunta{{with .helper_name}} o contacta a {{.}}, {{if eq $.helper_role \"district_ops\"}}la oficina de pasantías del distrito{{else}}tu coordinador(a) de pasantías{{end}}: {{$.helper_reach}}{{end}}.",
			Subject: "Cómo obtener ayuda",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nPara ayuda con {{.program}}, responde a nuestros mensajes con tu pregunta{{with .helper_name}} o contacta a {{.}}, {{if eq $.helper_role \"district_ops\"}}la oficina de pasantías del distrito{{else}}tu coordinador(a) de pasantías{{end}}: {{$.helper_reach}}{{end}}.",
		},
		"contact_help@guardian": {
			SMS:     "Para ayuda, responda con su pregunta{{with .helper_name}} o comuníquese con {{.}}, {{if eq $.helper_role \"district_ops\"}}la oficina de pasantías del distrito{{else}}coordinador(a) de pasantías de su estudiante{{end}}: {{$.helper_reach}}{{end}}.",
			Subject: "Cómo obtener ayuda",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nPara ayuda con {{.program}}, responda a nuestros mensajes con su pregunta{{with .helper_name}} o comuníquese con {{.}}, {{if eq $.helper_role \"district_ops\"}}la oficina de pasantías del distrito{{else}}coordinador(a) de pasantías de su estudiante{{end}}: {{$.helper_reach}}{{end}}.",
		},
		"reply_ack": {
			SMS:     "Gracias, recibimos tu mensaje. {{with .helper_name}}{{.}} ({{if eq $.helper_role \"district_ops\"}}la oficina de pasantías del distrito{{else}}tu coordinador(a) de pasantías{{end}}){{else}}Tu coordinador(a) de pasantías{{end}} lo leerá y te responderá por aquí.",
			Subject: "Recibimos tu mensaje",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nGracias, recibimos tu mensaje. {{with .helper_name}}{{.}} ({{if eq $.helper_role \"district_ops\"}}la oficina de pasantías del distrito{{else}}tu coordinador(a) de pasantías{{end}}){{else}}Tu coordinador(a) de pasantías{{end}} lo leerá y te responderá por mensaje de texto.",
		},
		"reply_ack@guardian": {
			SMS:     "Gracias, recibimos su mensaje. {{with .helper_name}}{{.}} ({{if eq $.helper_role \"district_ops\"}}la oficina de pasantías del distrito{{else}}coordinador(a) de pasantías de su estudiante{{end}}){{else}}El/la coordinador(a) de pasantías de su estudiante{{end}} lo leerá y le responderá por aquí.",
			Subject: "Recibimos su mensaje",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nGracias, recibimos su mensaje. {{with .helper_name}}{{.}} ({{if eq $.helper_role \"district_ops\"}}la oficina de pasantías del distrito{{else}}coordinador(a) de pasantías de su estudiante{{end}}){{else}}El/la coordinador(a) de pasantías de su estudiante{{end}} lo leerá y le responderá por mensaje de texto.",
		},
		"staff_reply": {
			SMS:     "{{.staff_name}}: {{.text}}",
			Subject: "Un mensaje de {{.staff_name}}",
			Body:    "{{.text}}\n\n{{.staff_name}}",
		},

		// A padres, madres y tutores.
		"permit_sign_request@guardian": {
			SMS:     "Hola {{.recipient_name}}, el permiso de trabajo de su hijo/a {{.student_first_name}} en {{.employer_name}} necesita su firma:",
			Subject: "Firme el permiso de trabajo de {{.student_first_name}}",
			Body:    "Hola {{.recipient_name}}:\n\nSu hijo/a {{.student_first_name}} tiene una pasantía en {{.employer_name}}. Antes de empezar, usted como padre, madre o tutor firma el permiso de trabajo. Toma unos minutos desde el teléfono.",
		},

		// A empleadores y supervisores.
		"new_applicant": {
			SMS:     "{{.student_first_name}} se postuló a {{.posting_title}}. Revise la solicitud:",
			Subject: "Nuevo postulante para {{.posting_title}}: {{.student_first_name}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\n{{.student_first_name}} se postuló a {{.posting_title}}. Abra la solicitud para pasarla a revisión, entrevista, oferta o rechazo; el estudiante recibe cada cambio.",
			Line:    "Revise la solicitud de {{.student_first_name}} para {{.posting_title}}",
		},
		"application_decision_reminder": {
			SMS:     "{{.student_first_name}} espera su decisión sobre {{.posting_title}}. Decida aquí:",
			Subject: "{{.student_first_name}} espera una decisión sobre {{.posting_title}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\n{{.student_first_name}} se postuló a {{.posting_title}} y espera su respuesta. Los estudiantes que esperan mucho suelen aceptar otras ofertas; por favor registre una decisión.",
			Line:    "Decida sobre la solicitud de {{.student_first_name}} a {{.posting_title}}",
		},
		"permit_sign_request@employer": {
			SMS:     "Hola {{.recipient_name}}, firme el permiso de trabajo de su pasante {{.student_first_name}}:",
			Subject: "Firme el permiso de trabajo de {{.student_first_name}}",
			Body:    "Hola {{.recipient_name}}:\n\nEl permiso de trabajo de su pasante {{.student_first_name}} está listo para su firma como empleador. El trabajo puede empezar cuando el estudiante, un padre y usted lo firmen y la escuela lo apruebe.",
			Line:    "Firme el permiso de trabajo de {{.student_first_name}}",
		},
		"timesheet_approval_request": {
			SMS:     "Revise la hoja de horas de {{.student_first_name}} de la semana del {{date .week}}:",
			Subject: "Apruebe la hoja de horas de {{.student_first_name}} (semana del {{date .week}})",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\n{{.student_first_name}} registró horas de la semana del {{date .week}}. Apruébelas o pida una corrección.{{if .breaches}}\n\nAntes de aprobar: estas horas no cumplen las reglas de horas para menores:\n{{breaches .breaches}}\n\nLas horas por encima de los límites quedan registradas, pero cuentan para la práctica solo si la escuela así lo decide.{{else if .flags}}\n\nAntes de aprobar: {{.flags}}{{end}}",
			Line:    "Apruebe la hoja de horas de {{.student_first_name}} de la semana del {{date .week}}{{if .breaches}} (no cumple una regla de horas para menores){{else if .flags}} (revise: {{.flags}}){{end}}",
		},
		"feedback_request": {
			SMS:     "Comparta su opinión sobre su pasante {{.student_first_name}}:",
			Subject: "Opinión sobre la pasantía de {{.student_first_name}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nLa pasantía de {{.student_first_name}} está por terminar. Califique algunas habilidades y agregue un comentario; toma unos 3 minutos y completa el expediente del estudiante.",
			Line:    "Dé su opinión sobre la pasantía de {{.student_first_name}}",
		},
		"deliverable_review_request": {
			SMS:     "Revise el proyecto \"{{.project_title}}\" de {{.student_first_name}}:",
			Subject: "Revise el proyecto de {{.student_first_name}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\n{{.student_first_name}} entregó el proyecto \"{{.project_title}}\". Apruébelo o pida cambios.",
		},
		"employer_applicants": {
			SMS:     "Hay estudiantes postulados a las pasantías de {{.employer_name}}. Véalos y respóndales aquí:",
			Subject: "Sus postulantes a pasantías - {{.employer_name}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nEl enlace de abajo muestra a cada estudiante que se postuló a las pasantías de {{.employer_name}}, con su escuela, grado, área y currículum. Pase cada solicitud a revisión, entrevista, oferta o rechazo; el estudiante recibe un mensaje de texto con cada cambio. Los estudiantes que reciben respuesta rápido se quedan; los que esperan suelen aceptar otras ofertas.\n\nGuarde el enlace para volver a esta lista.",
		},
		"mou_sign_request": {
			SMS:     "Firme el acuerdo de pasantías (MOU) de {{.employer_name}} antes del {{date .sign_by}}; los pasantes empiezan el {{date .implementation_date}}:",
			Subject: "Firme el acuerdo de pasantías {{.program_year}} de {{.employer_name}} antes del {{date .sign_by}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nPara recibir pasantes pagados en {{.program_year}}, {{.employer_name}} necesita un memorando de entendimiento (MOU) firmado con el distrito. Los pasantes empiezan el {{date .implementation_date}}. Revíselo y fírmelo antes del {{date .sign_by}}, para que el distrito tenga tiempo de aprobarlo. El acuerdo vale hasta el {{date .term_end}}.",
		},
		"mou_reminder": {
			SMS:     "Recordatorio: el acuerdo de pasantías de {{.employer_name}} debe firmarse antes del {{date .sign_by}}; los pasantes empiezan el {{date .implementation_date}}:",
			Subject: "Recordatorio: firme el acuerdo de pasantías antes del {{date .sign_by}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nEl acuerdo de pasantías (MOU) de {{.employer_name}} todavía no está firmado. Los pasantes no pueden empezar sin el acuerdo firmado y aprobado, y el trabajo empieza el {{date .implementation_date}}. Fírmelo antes del {{date .sign_by}}.",
		},
		"mou_returned": {
			SMS:     "El distrito devolvió el MOU de {{.employer_name}}: {{.reason}} Fírmelo otra vez antes del {{date .sign_by}}:",
			Subject: "Su acuerdo de pasantías necesita un cambio: fírmelo de nuevo antes del {{date .sign_by}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nEl distrito revisó el acuerdo de pasantías (MOU) de {{.employer_name}} y lo devolvió:\n\n{{.reason}}\n\nRevíselo y fírmelo de nuevo antes del {{date .sign_by}}; los pasantes empiezan el {{date .implementation_date}}.",
		},

		// Pasantías que encuentra el estudiante.
		"found_changes_request": {
			SMS:     "Hola {{.student_first_name}}, tu coordinador pidió cambios a la pasantía en {{.employer_name}} que reportaste. Mira qué corregir:",
			Subject: "Cambios necesarios: tu pasantía en {{.employer_name}}",
			Body:    "Hola {{.student_first_name}}:\n\nTu coordinador revisó la pasantía en {{.employer_name}} que reportaste y pidió cambios{{with .comment}}:\n\n{{.}}{{else}}.{{end}}\n\nEl formulario se abre con lo que enviaste; corrígelo y envíalo de nuevo.",
		},
		"found_declined": {
			SMS:     "Hola {{.student_first_name}}, {{.employer_name}} no confirmó tu pasantía: {{.reason}} Reporta otra o solicita una publicada:",
			Subject: "{{.employer_name}} no confirmó tu pasantía",
			Body:    "Hola {{.student_first_name}}:\n\n{{.employer_name}} no confirmó la pasantía que reportaste. Su motivo:\n\n{{.reason}}\n\nPuedes reportar otra pasantía que encuentres o solicitar las pasantías publicadas del programa. Tu coordinador lo sabe y puede ayudarte.",
		},
		"found_confirmed": {
			SMS:     "Hola {{.student_first_name}}, ¡{{.employer_name}} confirmó tu pasantía! Los próximos pasos llegan por mensaje.",
			Subject: "{{.employer_name}} confirmó tu pasantía",
			Body:    "Hola {{.student_first_name}}:\n\n{{.employer_name}} confirmó la pasantía que encontraste. ¡Felicidades! Los próximos pasos (documentos, capacitaciones, horas) te llegan por mensaje a medida que se abren.",
		},
		"found_confirm_request": {
			SMS:     "Hola {{.recipient_name}}, {{.student_first_name}} dice que hará una pasantía con {{.employer_name}}. Confirme los detalles:",
			Subject: "Confirme la pasantía de {{.student_first_name}} con {{.employer_name}}",
			Body:    "Hola {{.recipient_name}}:\n\n{{.student_first_name}}, estudiante de nuestro programa de pasantías, nos dijo que encontró una pasantía con {{.employer_name}} y lo nombró a usted como supervisor. Revise el puesto, las horas, el pago y la supervisión y confírmelo, o díganos por qué no. Toma dos minutos.",
			Line:    "Confirme la pasantía de {{.student_first_name}} con {{.employer_name}}",
		},

		// Al personal.
		"coordinator_stuck": {
			SMS:     "{{.student_first_name}}: {{step .step}} pendiente{{with .waiting_on}} {{waiting .}}{{end}} desde el {{date .since}}; los recordatorios no han funcionado. Vea:",
			Subject: "{{.student_first_name}} está detenido: {{step .step}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\n{{.student_first_name}}: {{step .step}} sigue pendiente{{with .waiting_on}} {{waiting .}}{{end}} desde el {{date .since}}, y los recordatorios enviados no han funcionado. Por favor dé seguimiento.",
		},
		"found_vetting_request": {
			SMS:     "{{.student_first_name}} encontró una pasantía en {{.employer_name}}. Revísela:",
			Subject: "Revise la pasantía que {{.student_first_name}} encontró en {{.employer_name}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\n{{.student_first_name}} reportó una pasantía que encontró en {{.employer_name}}. Revise el lugar de trabajo, el supervisor, el pago, las horas y las tareas, y apruébela o pida cambios al estudiante. Una vez aprobada, se pide al supervisor que la confirme.",
		},
		"found_declined_staff": {
			SMS:     "{{.employer_name}} no confirmó la pasantía que encontró {{.student_first_name}}: {{.reason}} Vea:",
			Subject: "{{.employer_name}} no confirmó la pasantía de {{.student_first_name}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\n{{.employer_name}} no confirmó la pasantía que reportó {{.student_first_name}}. Su motivo:\n\n{{.reason}}\n\n{{.student_first_name}} vuelve a buscar pasantías y ya fue informado.",
		},
		"badge_review_request": {
			SMS:     "El currículum y la carta de {{.student_first_name}} esperan la revisión Intern Ready:",
			Subject: "Revise el currículum de {{.student_first_name}} para la insignia Intern Ready",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\n{{.student_first_name}} subió un currículum y una carta de presentación. Apruébelos o devuélvalos con un comentario.",
		},
		"permit_approval_request": {
			SMS:     "Hola {{.recipient_name}}, el permiso de trabajo de {{.student_first_name}} está firmado y espera su aprobación:",
			Subject: "Apruebe el permiso de trabajo de {{.student_first_name}}",
			Body:    "Hola {{.recipient_name}}:\n\nEl estudiante, un padre y el empleador firmaron el permiso de trabajo de {{.student_first_name}}. Apruébelo o rechácelo indicando el motivo.",
		},
		"hours_flagged": {
			SMS:     "La hoja de horas de {{.student_first_name}} (semana del {{date .week}}) no cumple una regla de horas para menores{{if .withheld}} ({{hours .withheld}} retenidas hasta que usted decida){{end}}. Detalles:",
			Subject: "Revise las horas de {{.student_first_name}}: semana del {{date .week}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nLa hoja de horas de {{.student_first_name}} de la semana del {{date .week}} no cumple las reglas de horas para menores:\n{{if .breaches}}{{breaches .breaches}}{{else}}{{.flags}}{{end}}{{if .withheld}}\n\n{{hours .withheld}} por encima de los límites quedan registradas, pero no cuentan para las horas requeridas hasta que usted decida, en la página del estudiante, si cuentan.{{end}}\n\nEl supervisor ve la misma nota antes de aprobar, y el estudiante en su hoja de horas.",
		},
		"contact_unreachable": {
			SMS:     "No podemos contactar {{with .person}}a {{.}} ({{role $.party $.student_first_name}}){{else}}{{who .party .student_first_name}}{{end}}{{with channel .channel}} por {{.}}{{end}}: {{reason .reason}}.",
			Subject: "No podemos contactar {{with .person}}a {{.}} ({{role $.party $.student_first_name}}){{else}}{{who .party .student_first_name}}{{end}}{{with channel .channel}} por {{.}}{{end}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nLos mensajes {{with .person}}a {{.}} ({{role $.party $.student_first_name}}){{else}}{{who .party .student_first_name}}{{end}}{{with channel .channel}} por {{.}}{{end}} no llegan: {{reason .reason}}. Revise los datos de contacto o comuníquese de otra forma.",
		},
		"mou_approval_request": {
			SMS:     "El acuerdo de pasantías (MOU) de {{.employer_name}} está firmado y espera su aprobación; los pasantes empiezan el {{date .implementation_date}}:",
			Subject: "Apruebe el acuerdo de pasantías de {{.employer_name}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\n{{.employer_name}} firmó su acuerdo de pasantías (MOU). Los pasantes empiezan el {{date .implementation_date}}; revíselo y apruébelo para que puedan empezar.",
		},
		"mou_escalation": {
			SMS:     "El MOU de {{.employer_name}} sigue sin aprobarse y los pasantes empiezan el {{date .implementation_date}}:",
			Subject: "MOU de {{.employer_name}} sin aprobar; los pasantes empiezan el {{date .implementation_date}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nEl acuerdo de pasantías (MOU) de {{.employer_name}} todavía no está aprobado y los pasantes empiezan el {{date .implementation_date}}. Espera {{if eq .mou_status \"employer_signed\"}}la aprobación del distrito{{else}}la firma del empleador{{end}}. Dé seguimiento.",
		},
		"staff_invite": {
			SMS:     "{{.inviter}} le invitó a iniciar sesión para {{.district}}:",
			Subject: "{{.inviter}} le invitó a {{.district}} en internflow",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\n{{.inviter}} le invitó a iniciar sesión en internflow, donde {{.district}} lleva sus programas de pasantías. Use el enlace de abajo para iniciar sesión; funciona una sola vez y vence en 7 días. Después, pida un enlace nuevo en la página de inicio de sesión con este correo.",
		},
		"staff_login": {
			SMS:     "Su enlace para iniciar sesión (funciona una vez y vence pronto):",
			Subject: "Su enlace para iniciar sesión en {{.program}}",
			Body:    "Hola{{with .recipient_name}} {{.}}{{end}}:\n\nUse el enlace de abajo para iniciar sesión en {{.program}}. Funciona una sola vez y vence pronto. Si no lo pidió, ignore este correo.",
		},
	},
}
