package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"
)

// InputError is a rejection the API shows to the person: which field, why.
// Code names the rejection for every language (the pages' catalogue);
// Message is the journey's English sentence, and Args the values it names
// (a skill, a stage), as text. Code and Args are empty in rejections
// recorded before codes existed, and in staff refusals built outside the
// journey.
type InputError struct {
	Code    Code     `json:"code,omitempty"`
	Field   string   `json:"field,omitempty"`
	Message string   `json:"message"`
	Args    []string `json:"args,omitempty"`
}

func (e *InputError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// InputErrorType is the ApplicationError type validators reject with.
const InputErrorType = "InputError"

// Code names why the journey refused an input, stably: pages translate
// it, clients may branch on it. Its English is the journey's own sentence.
type Code string

// NewInputError is the refusal with code on field, its English written
// from the code's sentence and args.
func NewInputError(code Code, field string, args ...any) *InputError {
	ie := &InputError{Code: code, Field: field, Message: fmt.Sprintf(inputTexts[code].en, args...)}
	for _, a := range args {
		ie.Args = append(ie.Args, fmt.Sprint(a))
	}
	return ie
}

// reject is what validators return: a non-retryable error carrying the
// code, field and message, which the service turns back into an *InputError.
func reject(code Code, field string, args ...any) error {
	return rejectWith(NewInputError(code, field, args...))
}

// rejectWith is the rejection carrying ie.
func rejectWith(ie *InputError) error {
	return temporal.NewNonRetryableApplicationError(ie.Message, InputErrorType, nil, *ie)
}

// Codes is every code the journey rejects with, sorted.
func Codes() []Code {
	out := make([]Code, 0, len(inputTexts))
	for c := range inputTexts {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// English is the code's sentence as a format (args in the order the
// rejection gives them).
func (c Code) English() string { return inputTexts[c].en }

// Spanish is the code's Spanish sentence as a format of the rejection's
// Args (by index: %[1]s).
func (c Code) Spanish() string { return inputTexts[c].es }

// sentences are a code's text in each language.
type sentences struct{ en, es string }

// In is the refusal's sentence in lang ("en" or "es"): its own English
// message, or the code's sentence in that language. A refusal without a
// code (staff's own, or from before codes) has only its English.
func (e *InputError) In(lang string) string {
	if lang != "es" || e.Code.Spanish() == "" {
		return e.Message
	}
	es := e.Code.Spanish()
	if !strings.Contains(es, "%") {
		return es
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		args[i] = a
	}
	return fmt.Sprintf(es, args...)
}

// The codes, by the step that refuses.
const (
	JourneyEnded        Code = "journey.ended"
	JourneyAlreadyEnded Code = "journey.already_ended"
	JourneyClosed       Code = "journey.closed"
	StepClosed          Code = "step.closed"
	StepNotOpen         Code = "step.not_open"

	SurveyAlreadySubmitted  Code = "survey.already_submitted"
	SurveyPathwayRequired   Code = "survey.pathway_required"
	SurveyTransportRequired Code = "survey.transport_required"

	BadgeKindRequired    Code = "badge.kind_required"
	BadgeFileRequired    Code = "badge.file_required"
	BadgeInReview        Code = "badge.in_review"
	BadgeNotUploaded     Code = "badge.not_uploaded"
	BadgeCommentRequired Code = "badge.comment_required"

	ApplyPostingRequired   Code = "apply.posting_required"
	ApplyAlreadyApplied    Code = "apply.already_applied"
	ApplyTooManyOpen       Code = "apply.too_many_open"
	ApplyPostingUnknown    Code = "apply.posting_unknown"
	ApplyPostingClosed     Code = "apply.posting_closed"
	ApplyDeadlinePassed    Code = "apply.deadline_passed"
	ApplicationUnknown     Code = "application.unknown"
	ApplicationCannotMove  Code = "application.cannot_move"
	ApplicationNoOpenOffer Code = "application.no_open_offer"

	FoundHasPlacement          Code = "found.has_placement"
	FoundCoordinatorChecking   Code = "found.coordinator_checking"
	FoundSupervisorConfirming  Code = "found.supervisor_confirming"
	FoundDetailsInvalid        Code = "found.details_invalid"
	FoundNoneWaiting           Code = "found.none_waiting"
	FoundStaffOnly             Code = "found.staff_only"
	FoundCommentRequired       Code = "found.comment_required"
	FoundCheckRequired         Code = "found.check_required"
	FoundFundingUnknown        Code = "found.funding_unknown"
	FoundEmployerNotRecorded   Code = "found.employer_not_recorded"
	FoundNotAwaitingSupervisor Code = "found.not_awaiting_supervisor"
	FoundReasonRequired        Code = "found.reason_required"
	FoundReasonTooLong         Code = "found.reason_too_long"

	PermitNotReady            Code = "permit.not_ready"
	PermitUnknownSigner       Code = "permit.unknown_signer"
	PermitAlreadySigned       Code = "permit.already_signed"
	PermitNotAwaitingDecision Code = "permit.not_awaiting_decision"
	PermitReasonRequired      Code = "permit.reason_required"
	PermitNotCorrecting       Code = "permit.not_correcting"
	PermitNoChange            Code = "permit.no_change"
	PermitNotCorrectable      Code = "permit.not_correctable"
	PermitSchoolOnly          Code = "permit.school_only"
	PermitFieldTwice          Code = "permit.field_twice"
	PermitFieldInvalid        Code = "permit.field_invalid"
	SignDocumentChanged       Code = "sign.document_changed"
	SignConsentRequired       Code = "sign.consent_required"
	SignNameRequired          Code = "sign.name_required"

	MOUNotAwaitingEmployer      Code = "mou.not_awaiting_employer"
	MOUNotAwaitingDistrict      Code = "mou.not_awaiting_district"
	MOUReasonRequired           Code = "mou.reason_required"
	MOUImplementationDateNeeded Code = "mou.implementation_date_required"

	TrainingNotYet               Code = "training.not_yet"
	TrainingNotRequiredProgram   Code = "training.not_required_by_program"
	TrainingNotRequiredPlacement Code = "training.not_required_for_placement"
	TrainingAlreadyRecorded      Code = "training.already_recorded"
	TrainingCertificateRequired  Code = "training.certificate_required"
	TrainingDateRequired         Code = "training.date_required"
	TrainingDateInFuture         Code = "training.date_in_future"

	WeekAlreadyApproved Code = "week.already_approved"
	WeekWithSupervisor  Code = "week.with_supervisor"
	WeekHoursRequired   Code = "week.hours_required"
	WeekDateFormat      Code = "week.date_format"
	WeekDateOutside     Code = "week.date_outside"
	WeekDateInFuture    Code = "week.date_in_future"
	WeekDateTwice       Code = "week.date_twice"
	WeekHoursRange      Code = "week.hours_range"
	WeekEndFormat       Code = "week.end_format"
	WeekNotSubmitted    Code = "week.not_submitted"
	WeekNoteRequired    Code = "week.note_required"

	DeliverableInReview        Code = "deliverable.in_review"
	DeliverableWorkRequired    Code = "deliverable.work_required"
	DeliverableHoursRange      Code = "deliverable.hours_range"
	DeliverableNoneWaiting     Code = "deliverable.none_waiting"
	DeliverableCommentRequired Code = "deliverable.comment_required"

	ReflectionAlreadySubmitted Code = "reflection.already_submitted"
	ReflectionTooShort         Code = "reflection.too_short"
	ReflectionTooLong          Code = "reflection.too_long"
	ReflectionRecommendNeeded  Code = "reflection.recommend_required"
	ReflectionCommentTooLong   Code = "reflection.comment_too_long"
	FeedbackAlreadyGiven       Code = "feedback.already_given"
	FeedbackRatingMissing      Code = "feedback.rating_missing"
	FeedbackRatingRange        Code = "feedback.rating_range"
	FeedbackRatingsExactly     Code = "feedback.ratings_exactly"

	WaiveReasonRequired    Code = "waive.reason_required"
	WaiveNotWaivable       Code = "waive.not_waivable"
	WaiveAlreadyWaived     Code = "waive.already_waived"
	WithdrawReasonRequired Code = "withdraw.reason_required"
	LadderUnknown          Code = "ladder.unknown"
	LadderRungsOrder       Code = "ladder.rungs_order"
	LadderRungTemplate     Code = "ladder.rung_template"
	HoursReasonRequired    Code = "hours.reason_required"
	HoursNoTimesheet       Code = "hours.no_timesheet"
	HoursAlreadyDecided    Code = "hours.already_decided"
	HoursNoneHeld          Code = "hours.none_held"
	HoursNotApproved       Code = "hours.not_approved"
	ProgramSameVersion     Code = "program.same_version"
	ProgramNegativeHours   Code = "program.negative_hours"
	ProgramInvalid         Code = "program.invalid"
)

// inputTexts are the journey's sentences by code, in English and
// Spanish, as formats of the rejection's args. The English is what the API
// answers and what histories hold: change one only on purpose. The Spanish
// names args by index (%[1]s), as text, and may leave some out.
var inputTexts = map[Code]sentences{
	JourneyEnded:        {"this journey has ended", "este programa ya terminó"},
	JourneyAlreadyEnded: {"this journey has already ended", "este programa ya terminó"},
	JourneyClosed:       {"this journey is closed", "este programa ya terminó"},
	StepClosed:          {"this step is closed", "este paso ya está cerrado"},
	StepNotOpen:         {"%s is not open right now (the journey is at %s)", "este paso no está abierto ahora"},

	SurveyAlreadySubmitted:  {"the survey was already submitted", "la encuesta ya fue enviada"},
	SurveyPathwayRequired:   {"choose a career pathway", "elige un área profesional"},
	SurveyTransportRequired: {"choose how you would get to work", "elige cómo llegarías al trabajo"},

	BadgeKindRequired:    {"upload a resume or a cover letter", "sube un currículum o una carta de presentación"},
	BadgeFileRequired:    {"attach the file", "adjunta el archivo"},
	BadgeInReview:        {"your resume and cover letter are with your coordinator for review", "tu currículum y tu carta están con tu coordinador para revisión"},
	BadgeNotUploaded:     {"the student has not uploaded both documents yet", "el estudiante aún no subió ambos documentos"},
	BadgeCommentRequired: {"say what the student should change", "indica qué debe cambiar el estudiante"},

	ApplyPostingRequired:   {"choose a posting", "elige una pasantía"},
	ApplyAlreadyApplied:    {"you already applied to this posting", "ya te postulaste a esta pasantía"},
	ApplyTooManyOpen:       {"you have %d open applications; wait for answers before applying to more", "tienes %[1]s solicitudes abiertas; espera respuestas antes de postularte a más"},
	ApplyPostingUnknown:    {"that posting does not exist", "esa pasantía no existe"},
	ApplyPostingClosed:     {"that posting is not open for applications", "esa pasantía ya no acepta solicitudes"},
	ApplyDeadlinePassed:    {"the application deadline has passed", "la fecha límite ya pasó"},
	ApplicationUnknown:     {"no such application", "no existe esa solicitud"},
	ApplicationCannotMove:  {"an application that is %s cannot move to %s", "una solicitud en estado %[1]s no puede pasar a %[2]s"},
	ApplicationNoOpenOffer: {"there is no open offer for that application", "no hay una oferta abierta para esa solicitud"},

	FoundHasPlacement:          {"you already have a placement", "ya tienes una pasantía"},
	FoundCoordinatorChecking:   {"your coordinator is already checking the internship you reported", "tu coordinador ya está revisando la pasantía que reportaste"},
	FoundSupervisorConfirming:  {"your supervisor is confirming the internship you reported", "tu supervisor está confirmando la pasantía que reportaste"},
	FoundDetailsInvalid:        {"%s", "%[1]s"},
	FoundNoneWaiting:           {"there is no reported internship waiting to be checked", "no hay una pasantía reportada esperando revisión"},
	FoundStaffOnly:             {"only staff vet a reported internship", "solo el personal revisa una pasantía reportada"},
	FoundCommentRequired:       {"say what the student should change", "indica qué debe cambiar el estudiante"},
	FoundCheckRequired:         {"check %s before approving", "revisa %[1]s antes de aprobar"},
	FoundFundingUnknown:        {"funding %q is not employer_paid, district_cte or city_program", "el financiamiento %[1]q no es employer_paid, district_cte ni city_program"},
	FoundEmployerNotRecorded:   {"the employer could not be recorded: %v", "no se pudo registrar el empleador: %[1]s"},
	FoundNotAwaitingSupervisor: {"this internship is not waiting for your confirmation", "esta pasantía ya no espera su confirmación"},
	FoundReasonRequired:        {"say why you cannot confirm it", "diga por qué no puede confirmarla"},
	FoundReasonTooLong:         {"keep the reason to %d characters", "use %[1]s caracteres como máximo"},

	PermitNotReady:            {"the work permit is not ready for signatures", "el permiso de trabajo no está listo para firmar"},
	PermitUnknownSigner:       {"unknown signer role %q", "no existe el rol de firmante %[1]q"},
	PermitAlreadySigned:       {"the %s has already signed this permit", "este permiso ya está firmado por esa persona"},
	PermitNotAwaitingDecision: {"the permit is not waiting for a decision", "el permiso no está esperando una decisión"},
	PermitReasonRequired:      {"give the reason for rejecting the permit", "indica el motivo para rechazar el permiso"},
	PermitNotCorrecting:       {"the work permit is not waiting for corrections", "el permiso de trabajo ya no espera correcciones"},
	PermitNoChange:            {"change at least one field", "cambie al menos un dato"},
	PermitNotCorrectable:      {"%s cannot be corrected", "%[1]s no se puede corregir"},
	PermitSchoolOnly:          {"only the school can correct %s", "solo la escuela puede corregir ese dato"},
	PermitFieldTwice:          {"%s is given twice", "%[1]s aparece dos veces"},
	PermitFieldInvalid:        {"%s %v", "%[1]s %[2]s"},
	SignDocumentChanged:       {"the %s changed since this link was sent; use the newest link", "el documento cambió desde que se envió este enlace; usa el enlace más reciente"},
	SignConsentRequired:       {"agree to sign electronically first", "primero acepta firmar electrónicamente"},
	SignNameRequired:          {"type your full name to sign", "escribe tu nombre completo para firmar"},

	MOUNotAwaitingEmployer:      {"this MOU is not waiting for the employer's signature", "este acuerdo no está esperando la firma del empleador"},
	MOUNotAwaitingDistrict:      {"this MOU is not waiting for district approval", "este acuerdo no está esperando la aprobación del distrito"},
	MOUReasonRequired:           {"give the reason for sending it back", "indica el motivo para devolverlo"},
	MOUImplementationDateNeeded: {"give the implementation date (YYYY-MM-DD)", "indica la fecha de implementación (AAAA-MM-DD)"},

	TrainingNotYet:               {"trainings open once you are Intern Ready", "las capacitaciones se abren cuando ganes tu insignia Intern Ready"},
	TrainingNotRequiredProgram:   {"that training is not required by your program", "esa capacitación no es requerida por tu programa"},
	TrainingNotRequiredPlacement: {"that training is not required for your placement", "esa capacitación no es requerida para tu pasantía"},
	TrainingAlreadyRecorded:      {"that training is already recorded", "esa capacitación ya está registrada"},
	TrainingCertificateRequired:  {"upload your certificate", "sube tu certificado"},
	TrainingDateRequired:         {"give the date you completed it", "indica la fecha en que la completaste"},
	TrainingDateInFuture:         {"the completion date is in the future", "la fecha está en el futuro"},

	WeekAlreadyApproved: {"this week is already approved", "esta semana ya está aprobada"},
	WeekWithSupervisor:  {"this week is with your supervisor for approval", "esta semana está con tu supervisor para aprobación"},
	WeekHoursRequired:   {"enter the hours you worked", "escribe las horas que trabajaste"},
	WeekDateFormat:      {"give a date like 2006-01-02", "escribe una fecha como 2006-01-02"},
	WeekDateOutside:     {"%s is not in the week of %s", "%[1]s no está en la semana del %[2]s"},
	WeekDateInFuture:    {"%s has not happened yet: add its hours once you have worked them", "%[1]s todavía no llega: agrega sus horas cuando las hayas trabajado"},
	WeekDateTwice:       {"%s is entered twice", "%[1]s está dos veces"},
	WeekHoursRange:      {"hours in a day go from 0 to 24", "las horas de un día van de 0 a 24"},
	WeekEndFormat:       {"give the time work ended like 18:30", "escribe la hora en que terminaste, por ejemplo 18:30"},
	WeekNotSubmitted:    {"the student has not submitted this week yet", "el estudiante aún no envió esta semana"},
	WeekNoteRequired:    {"say what the student should correct", "indica qué debe corregir el estudiante"},

	DeliverableInReview:        {"your deliverable is with the employer for review", "tu proyecto está con el empleador para revisión"},
	DeliverableWorkRequired:    {"attach your work or describe it", "adjunta tu trabajo o descríbelo"},
	DeliverableHoursRange:      {"enter the hours you spent (more than 0, at most 40)", "escribe las horas que dedicaste (más de 0, máximo 40)"},
	DeliverableNoneWaiting:     {"there is no deliverable waiting for review", "no hay un proyecto esperando revisión"},
	DeliverableCommentRequired: {"say what should change", "indica qué debe cambiar"},

	ReflectionAlreadySubmitted: {"your reflection was already submitted", "tu reflexión ya fue enviada"},
	ReflectionTooShort:         {"write a few sentences about what you learned", "escribe unas oraciones sobre lo que aprendiste"},
	ReflectionTooLong:          {"keep the reflection under 10,000 characters", "la reflexión debe tener menos de 10,000 caracteres"},
	ReflectionRecommendNeeded:  {"choose from 1 to 5 how much you would recommend this placement to a friend", "elige de 1 a 5 cuánto le recomendarías esta pasantía a un amigo"},
	ReflectionCommentTooLong:   {"keep the comment under 3,000 characters", "el comentario debe tener menos de 3,000 caracteres"},
	FeedbackAlreadyGiven:       {"feedback was already given", "la evaluación ya fue enviada"},
	FeedbackRatingMissing:      {"rate %s", "califica esta habilidad"},
	FeedbackRatingRange:        {"ratings go from 1 to 5", "las calificaciones van de 1 a 5"},
	FeedbackRatingsExactly:     {"rate exactly: %s", "califica exactamente: %[1]s"},

	WaiveReasonRequired:    {"give the reason for waiving", "indica el motivo para omitir el paso"},
	WaiveNotWaivable:       {"%q cannot be waived", "%[1]q no se puede omitir"},
	WaiveAlreadyWaived:     {"%q is already waived", "%[1]q ya está omitido"},
	WithdrawReasonRequired: {"give the reason for withdrawing", "indica el motivo del retiro"},
	LadderUnknown:          {"no reminder ladder called %q", "no hay una serie de recordatorios llamada %[1]q"},
	LadderRungsOrder:       {"reminders must be in order of days, from 0", "los recordatorios deben ir en orden de días, desde 0"},
	LadderRungTemplate:     {"every reminder needs a template", "cada recordatorio necesita una plantilla"},
	HoursReasonRequired:    {"give the reason for your decision", "indica el motivo de tu decisión"},
	HoursNoTimesheet:       {"there is no timesheet for the week of %s", "no hay una hoja de horas para la semana del %[1]s"},
	HoursAlreadyDecided:    {"the held hours of the week of %s are already decided", "las horas retenidas de la semana del %[1]s ya están decididas"},
	HoursNoneHeld:          {"no hours of the week of %s are held back", "no hay horas retenidas en la semana del %[1]s"},
	HoursNotApproved:       {"the supervisor has not approved the week of %s yet", "el supervisor aún no aprobó la semana del %[1]s"},
	ProgramSameVersion:     {"the journey already runs version %d of its program", "el programa ya está en su versión %[1]s"},
	ProgramNegativeHours:   {"required hours cannot be negative", "las horas requeridas no pueden ser negativas"},
	ProgramInvalid:         {"%s", "%[1]s"},
}
