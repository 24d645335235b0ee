package messaging

// english is every message in English. SMS texts stay short: the renderer
// adds "<program>: ", the link and "Reply STOP to opt out." and a test
// keeps each one within two segments with long names and a real link.
var english = language{
	Stop:           "Reply STOP to opt out.",
	OpenLink:       "Open",
	HomePage:       "Your page:",
	Footer:         "You receive this because you take part in {{.program}}. Questions? Contact {{.contact}}.",
	StaffFooter:    "You receive this as staff of {{.program}}. Questions? Contact your district's internflow administrator.",
	DigestSubject:  "{{.count}} items waiting for you - {{.program}}",
	DigestGreeting: "Hello{{with .recipient_name}} {{.}}{{end}},",
	DigestIntro:    "These items are waiting for you. Each link opens one of them:",
	InboxIntro:     "These items are waiting for you. Your inbox lists everything you have pending, overdue first, and you can do each one from there.",
	InboxLink:      "Open your inbox",
	InboxSMS:       "{{.count}} items wait for you ({{.names}}). See and do them all here:",
	Status: map[string]string{
		"submitted": "submitted", "reviewing": "under review", "interview": "invited to interview",
		"offer": "offer made", "declined": "not selected", "accepted": "accepted", "withdrawn": "withdrawn",
	},
	Channel: map[string]string{"sms": "text message", "email": "email"},
	Code:    "en",
	Reason: map[string]string{
		"invalid": "the number or address does not work", "unsubscribed": "they unsubscribed",
		"opted_out": "they replied STOP", "bounced": "the email bounced", "spamreport": "they marked our email as spam",
		"failed": "the provider refused the message", "no_contact": "no phone or email on file",
	},
	Party: map[string]string{"student": "%s", "guardian": "%s's parent or guardian", "employer": "%s's supervisor"},
	Role:  map[string]string{"student": "the student", "guardian": "%s's parent or guardian", "employer": "%s's supervisor"},
	Steps: map[string]string{
		"survey": "interest survey", "badge_upload": "resume and cover letter", "badge_review": "Intern Ready badge review",
		"applying": "applications", "decision": "hiring decision", "offer": "answer to an offer", "mou": "employer MOU",
		"permit_sign": "work permit signature", "permit_approval": "work permit approval", "permit_correction": "work permit correction", "trainings": "trainings",
		"timesheet": "timesheet", "timesheet_week": "timesheet for the week of %s", "hours_short": "required hours",
		"deliverable": "project", "deliverable_review": "project review", "reflection": "reflection",
		"feedback": "employer feedback", "found_vetting": "check of the internship they found",
		"found_changes": "correction of the internship they found", "found_confirm": "supervisor's confirmation of the internship they found",
	},
	Waiting: map[string]string{
		"student": "the student", "guardian": "a parent or guardian", "employer": "the supervisor",
		"permit_issuer": "the permit issuer", "coordinator": "a coordinator", "mou": "the MOU approval",
		"district_ops": "district operations",
	},
	Covering: map[string]string{
		"coordinator":   "%s has no coordinator, so this comes to you instead. A district admin can name one on the Staff page.",
		"permit_issuer": "%s has no permit issuer, so this comes to you instead. A district admin can name one on the Staff page.",
	},
	Templates: map[string]content{
		// To students.
		"survey_invite": {
			SMS:     "Hi {{.student_first_name}}, welcome! Tell us what internship you want in a 5-minute survey:",
			Subject: "Welcome to {{.program}}: a 5-minute survey",
			Body:    "Hi {{.student_first_name}},\n\nWelcome to {{.program}}! Tell us which pathway, schedule and kind of work interest you. The survey takes about 5 minutes.",
		},
		"survey_nudge": {
			SMS:     "Hi {{.student_first_name}}, your internship survey is still waiting. It takes 5 minutes:",
			Subject: "Your internship survey is waiting",
			Body:    "Hi {{.student_first_name}},\n\nYour interest survey is still open. It takes about 5 minutes and is the first step to an internship.",
		},
		"badge_upload_nudge": {
			SMS:     "Hi {{.student_first_name}}, upload your resume and cover letter to earn your Intern Ready badge:",
			Subject: "Upload your resume to become Intern Ready",
			Body:    "Hi {{.student_first_name}},\n\nUpload your resume and cover letter. Once your coordinator approves them you earn the Intern Ready badge and can apply to internships.",
		},
		"badge_returned": {
			SMS:     "Hi {{.student_first_name}}, your coordinator sent your resume back: \"{{.comment}}\" Update it here:",
			Subject: "Your resume needs a few changes",
			Body:    "Hi {{.student_first_name}},\n\nYour coordinator reviewed your resume and cover letter and asked for changes:\n\n\"{{.comment}}\"\n\nUpdate them and send them back for review.",
		},
		"badge_approved": {
			SMS:     "Congrats {{.student_first_name}}, you are Intern Ready! Start applying to internships:",
			Subject: "You are Intern Ready!",
			Body:    "Congratulations {{.student_first_name}},\n\nYour coordinator approved your resume and cover letter: you earned the Intern Ready badge. You can now apply to internships.",
		},
		"applying_nudge": {
			SMS:     "Hi {{.student_first_name}}, internships are open now. Find one that fits you and apply:",
			Subject: "Internships are open: apply now",
			Body:    "Hi {{.student_first_name}},\n\nEmployers are waiting for applications. Browse the open internships and apply to the ones that fit you.",
		},
		"application_update": {
			SMS:     "Hi {{.student_first_name}}, your application to {{.posting_title}}: {{status .status}}. Details:",
			Subject: "Update on your application to {{.posting_title}}",
			Body:    "Hi {{.student_first_name}},\n\nYour application to {{.posting_title}} has a new status: {{status .status}}.",
		},
		"offer_nudge": {
			SMS:     "Hi {{.student_first_name}}, you have an internship offer for {{.posting_title}}! Accept or decline it here:",
			Subject: "You have an internship offer",
			Body:    "Hi {{.student_first_name}},\n\nYou have an offer for {{.posting_title}}. Please accept or decline it so the employer can plan.",
		},
		"permit_sign_request": {
			SMS:     "Hi {{.student_first_name}}, your work permit for {{.employer_name}} is ready. Please sign it:",
			Subject: "Sign your work permit",
			Body:    "Hi {{.student_first_name}},\n\nYour work permit for your internship at {{.employer_name}} is ready for your signature. Your parent or guardian and the employer sign it too.",
		},
		"permit_rejected": {
			SMS:     "Hi {{.student_first_name}}, your work permit was not approved yet: \"{{.reason}}\" It is being corrected; a new one to sign comes next.",
			Subject: "Your work permit needs changes",
			Body:    "Hi {{.student_first_name}},\n\nThe school could not approve your work permit yet:\n\n\"{{.reason}}\"\n\nYour coordinator is correcting it. You will get the corrected permit to sign in a separate message.",
		},
		"permit_rejected@guardian": {
			SMS:     "Hi {{.recipient_name}}, your child {{.student_first_name}}'s work permit was not approved yet: \"{{.reason}}\" A corrected one to sign comes next.",
			Subject: "The work permit of your child {{.student_first_name}} needs changes",
			Body:    "Hello {{.recipient_name}},\n\nThe school could not approve the work permit of your child {{.student_first_name}} yet:\n\n\"{{.reason}}\"\n\nThe school is correcting it. You will get the corrected permit to sign in a separate message.",
		},
		"permit_rejected@employer": {
			SMS:     "Hi {{.recipient_name}}, the work permit for your intern {{.student_first_name}} was not approved: \"{{.reason}}\" A corrected one comes next.",
			Subject: "The work permit for {{.student_first_name}} needs changes",
			Body:    "Hello {{.recipient_name}},\n\nThe school could not approve the work permit for your intern {{.student_first_name}} yet:\n\n\"{{.reason}}\"\n\nYou will get the corrected permit to sign in a separate message.",
		},
		"permit_resign_request": {
			SMS:     "Hi {{.student_first_name}}, your work permit was corrected{{if .changes}}: {{.changes}}.{{else}}; nothing on it changed.{{end}} Please sign the new version:",
			Subject: "Sign your corrected work permit",
			Body:    "Hi {{.student_first_name}},\n\nThe school could not approve your work permit for {{.employer_name}}:\n\n\"{{.reason}}\"\n\n{{if .changes}}It has been corrected. What changed:\n{{.changes}}{{else}}Nothing on it had to change, but it must be signed again.{{end}}\n\nPlease sign the new version.",
		},
		"permit_resign_request@guardian": {
			SMS:     "Hi {{.recipient_name}}, your child {{.student_first_name}}'s work permit was corrected{{if .changes}}: {{.changes}}.{{else}}; nothing on it changed.{{end}} Please sign the new version:",
			Subject: "Please sign {{.student_first_name}}'s corrected work permit",
			Body:    "Hello {{.recipient_name}},\n\nThe school could not approve the work permit of your child {{.student_first_name}}:\n\n\"{{.reason}}\"\n\n{{if .changes}}It has been corrected. What changed:\n{{.changes}}{{else}}Nothing on it had to change, but it must be signed again.{{end}}\n\nPlease sign the new version as parent or guardian.",
		},
		"permit_resign_request@employer": {
			SMS:     "Hi {{.recipient_name}}, the permit for your intern {{.student_first_name}} was corrected{{if .changes}}: {{.changes}}.{{else}}; nothing on it changed.{{end}} Sign the new version:",
			Subject: "Sign the corrected work permit for {{.student_first_name}}",
			Body:    "Hello {{.recipient_name}},\n\nThe school could not approve the work permit for your intern {{.student_first_name}}:\n\n\"{{.reason}}\"\n\n{{if .changes}}It has been corrected. What changed:\n{{.changes}}{{else}}Nothing on it had to change, but it must be signed again.{{end}}\n\nPlease sign the new version as the employer.",
		},
		"permit_correction_employer": {
			SMS:     "Hi {{.recipient_name}}, the permit for your intern {{.student_first_name}} was not approved: \"{{.reason}}\" Correct your details here:",
			Subject: "Correct the work permit for {{.student_first_name}}",
			Body:    "Hello {{.recipient_name}},\n\nThe school could not approve the work permit for your intern {{.student_first_name}}:\n\n\"{{.reason}}\"\n\nIf the employer's details on it (supervisor, job title, hours, schedule, pay) are wrong, correct them from the link below; the corrected permit then goes out to sign. Otherwise the school corrects it and you will get the new one to sign.",
		},
		"permit_correction_request": {
			SMS:     "Hi {{.recipient_name}}, {{.student_first_name}}'s work permit was rejected: \"{{.reason}}\" Correct it to send a new version:",
			Subject: "Correct {{.student_first_name}}'s work permit",
			Body:    "Hello {{.recipient_name}},\n\nThe permit issuer rejected {{.student_first_name}}'s work permit:\n\n\"{{.reason}}\"\n\nCorrect the permit on the student's page (or confirm it is right as it is); the new version then goes to the student, a parent and the employer to sign. The employer may also correct its own details from its email.",
		},
		"permit_approved": {
			SMS:     "Hi {{.student_first_name}}, good news: the school approved your work permit for {{.employer_name}}.",
			Subject: "Your work permit is approved",
			Body:    "Hi {{.student_first_name}},\n\nGood news: the school approved your work permit for your internship at {{.employer_name}}. Thank you for signing.",
		},
		"permit_approved@guardian": {
			SMS:     "Hi {{.recipient_name}}, the school approved the work permit of your child {{.student_first_name}} for {{.employer_name}}. Thank you for signing.",
			Subject: "The work permit of your child {{.student_first_name}} is approved",
			Body:    "Hello {{.recipient_name}},\n\nThe school approved the work permit of your child {{.student_first_name}} for the internship at {{.employer_name}}. Thank you for signing.",
		},
		"permit_approved@employer": {
			SMS:     "Hi {{.recipient_name}}, the school approved the work permit for your intern {{.student_first_name}}. Thank you for signing.",
			Subject: "The work permit for {{.student_first_name}} is approved",
			Body:    "Hello {{.recipient_name}},\n\nThe school approved the work permit for your intern {{.student_first_name}} at {{.employer_name}}. Thank you for signing.",
		},
		"permit_approved_staff": {
			SMS:     "{{.student_first_name}}'s work permit for {{.employer_name}} is approved.",
			Subject: "{{.student_first_name}}'s work permit is approved",
			Body:    "Hello {{.recipient_name}},\n\nThe permit issuer approved {{.student_first_name}}'s work permit for the internship at {{.employer_name}}. The signed permit is on the student's page.",
		},
		"training_nudge": {
			SMS:     "Hi {{.student_first_name}}, finish your {{.training_name}} training before your first day:",
			Subject: "Finish your {{.training_name}} training",
			Body:    "Hi {{.student_first_name}},\n\nYour internship needs the {{.training_name}} training. Finish it and upload your certificate before your first day.",
		},
		"trainings_available": {
			SMS:     "Hi {{.student_first_name}}, you can do your internship trainings now, before you are hired. Upload each certificate here:",
			Subject: "You can do your internship trainings now",
			Body:    "Hi {{.student_first_name}},\n\nYour internship's required trainings are open to you now, before you are hired. Each certificate you upload counts, and you won't be asked for it again. Open the link to see which trainings and to upload your certificates.",
		},
		"timesheet_nudge": {
			SMS:     "Hi {{.student_first_name}}, the week of {{date .week}} is over: add your hours so your supervisor can approve them:",
			Subject: "Add your hours for the week of {{date .week}}",
			Body:    "Hi {{.student_first_name}},\n\nThe week of {{date .week}} is over. Add the hours you worked so your supervisor can approve them.",
		},
		"timesheet_correction": {
			SMS:     "Hi {{.student_first_name}}, please fix your timesheet for the week of {{date .week}}: \"{{.note}}\"",
			Subject: "Please fix your timesheet for the week of {{date .week}}",
			Body:    "Hi {{.student_first_name}},\n\nYour supervisor asked for a correction to your timesheet for the week of {{date .week}}:\n\n\"{{.note}}\"",
		},
		"reflection_nudge": {
			SMS:     "Hi {{.student_first_name}}, you're almost done! Write your short reflection to finish:",
			Subject: "One last step: your reflection",
			Body:    "Hi {{.student_first_name}},\n\nYou are almost done. Write a short reflection on what you learned to complete your internship.",
		},
		"deliverable_nudge": {
			SMS:     "Hi {{.student_first_name}}, remember to submit your project \"{{.project_title}}\":",
			Subject: "Submit your project: {{.project_title}}",
			Body:    "Hi {{.student_first_name}},\n\nYour project \"{{.project_title}}\" has not been submitted yet. Upload it so your supervisor can review it.",
		},
		"deliverable_changes": {
			SMS:     "Hi {{.student_first_name}}, your supervisor asked for changes to \"{{.project_title}}\": \"{{.comment}}\"",
			Subject: "Changes requested on {{.project_title}}",
			Body:    "Hi {{.student_first_name}},\n\nYour supervisor reviewed \"{{.project_title}}\" and asked for changes:\n\n\"{{.comment}}\"",
		},
		"journey_completed": {
			SMS:     "Congratulations {{.student_first_name}}, you completed your internship! Your certificate:",
			Subject: "You completed {{.program}}!",
			Body:    "Congratulations {{.student_first_name}},\n\nYou completed your internship. Your certificate is ready to download and share.",
		},
		// Answers to a text the person sent (quiet hours do not apply).
		// District-wide messages staff compose (announce.go): the note is
		// theirs, the rest and the link to the student's page are ours.
		"district_news": {
			SMS:     "Hi {{.student_first_name}}, news from your school: {{.note}} Your page:",
			Subject: "News from {{.program}}",
			Body:    "Hi {{.student_first_name}},\n\nNews from your school:\n\n{{.note}}\n\nYour internship page shows every step and what to do now.",
		},
		"district_reminder": {
			SMS:     "Hi {{.student_first_name}}, a reminder from your school: {{.note}} See your next step:",
			Subject: "A reminder from {{.program}}",
			Body:    "Hi {{.student_first_name}},\n\nA reminder from your school:\n\n{{.note}}\n\nYour internship page shows your next step.",
		},
		"home_link": {
			SMS:     "Hi {{.student_first_name}}, your internship page: every step, what to do now and your hours. Keep this link:",
			Subject: "Your internship page",
			Body:    "Hi {{.student_first_name}},\n\nHere is your internship page: every step of {{.program}}, what to do now, your applications, your placement and your hours. Keep this link; it is only for you.",
		},
		"home_link@guardian": {
			SMS:     "Hello, {{.student_first_name}}'s internship page for you: what we need from you and what you signed:",
			Subject: "Your student's internship page",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nHere is {{.student_first_name}}'s internship page for you: what {{.program}} needs from you, what you already signed, and whom to contact. Keep this link; it is only for you.",
		},
		"contact_help": {
			SMS:     "For help, reply with your question{{with .helper_name}} or contact {{.}}, {{if eq $.helper_role \"district_ops\"}}the district's internship office{{else}}your internship coordinator{{end}}, at {{$.helper_reach}}{{end}}.",
			Subject: "How to get help",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nFor help with {{.program}}, reply to our texts with your question{{with .helper_name}} or contact {{.}}, {{if eq $.helper_role \"district_ops\"}}the district's internship office{{else}}your internship coordinator{{end}}, at {{$.helper_reach}}{{end}}.",
		},
		"contact_help@guardian": {
			SMS:     "For help, reply with your question{{with .helper_name}} or contact {{.}}, {{if eq $.helper_role \"district_ops\"}}the district's internship office{{else}}your student's internship coordinator{{end}}, at {{$.helper_reach}}{{end}}.",
			Subject: "How to get help",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nFor help with {{.program}}, reply to our texts with your question{{with .helper_name}} or contact {{.}}, {{if eq $.helper_role \"district_ops\"}}the district's internship office{{else}}your student's internship coordinator{{end}}, at {{$.helper_reach}}{{end}}.",
		},
		"reply_ack": {
			SMS:     "Thanks, we got your message. {{with .helper_name}}{{.}} ({{if eq $.helper_role \"district_ops\"}}the district's internship office{{else}}your internship coordinator{{end}}){{else}}Your internship coordinator{{end}} will read it and answer you here.",
			Subject: "We got your message",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nThanks, we got your message. {{with .helper_name}}{{.}} ({{if eq $.helper_role \"district_ops\"}}the district's internship office{{else}}your internship coordinator{{end}}){{else}}Your internship coordinator{{end}} will read it and answer you by text.",
		},
		"reply_ack@guardian": {
			SMS:     "Thanks, we got your message. {{with .helper_name}}{{.}} ({{if eq $.helper_role \"district_ops\"}}the district's internship office{{else}}your student's internship coordinator{{end}}){{else}}Your student's internship coordinator{{end}} will read it and answer you here.",
			Subject: "We got your message",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nThanks, we got your message. {{with .helper_name}}{{.}} ({{if eq $.helper_role \"district_ops\"}}the district's internship office{{else}}your student's internship coordinator{{end}}){{else}}Your student's internship coordinator{{end}} will read it and answer you by text.",
		},
		"staff_reply": {
			SMS:     "{{.staff_name}}: {{.text}}",
			Subject: "A message from {{.staff_name}}",
			Body:    "{{.text}}\n\n{{.staff_name}}",
		},

		// To parents and guardians.
		"permit_sign_request@guardian": {
			SMS:     "Hi {{.recipient_name}}, your child {{.student_first_name}}'s work permit for {{.employer_name}} needs your signature as parent:",
			Subject: "Please sign {{.student_first_name}}'s work permit",
			Body:    "Hello {{.recipient_name}},\n\nYour child {{.student_first_name}} has an internship at {{.employer_name}}. Before work can start, you as parent or guardian sign the work permit. It takes a few minutes on a phone.",
		},

		// To employers and supervisors.
		"new_applicant": {
			SMS:     "{{.student_first_name}} applied to {{.posting_title}}. Review the application:",
			Subject: "New applicant for {{.posting_title}}: {{.student_first_name}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.student_first_name}} applied to {{.posting_title}}. Open the application to move it to reviewing, interview, offer or declined; the student hears of every change.",
			Line:    "Review {{.student_first_name}}'s application to {{.posting_title}}",
		},
		"application_decision_reminder": {
			SMS:     "{{.student_first_name}} is waiting for your decision on {{.posting_title}}. Decide here:",
			Subject: "{{.student_first_name}} is waiting for a decision on {{.posting_title}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.student_first_name}} applied to {{.posting_title}} and is waiting to hear from you. Students who wait long often take other offers, so please mark a decision.",
			Line:    "Decide on {{.student_first_name}}'s application to {{.posting_title}}",
		},
		"permit_sign_request@employer": {
			SMS:     "Hi {{.recipient_name}}, please sign the work permit for your intern {{.student_first_name}}:",
			Subject: "Sign the work permit for {{.student_first_name}}",
			Body:    "Hello {{.recipient_name}},\n\nThe work permit for your intern {{.student_first_name}} is ready for your signature as the employer. Work can start once the student, a parent and you have signed and the school approves it.",
			Line:    "Sign the work permit for {{.student_first_name}}",
		},
		"timesheet_approval_request": {
			SMS:     "Please review {{.student_first_name}}'s timesheet for the week of {{date .week}}:",
			Subject: "Approve {{.student_first_name}}'s timesheet (week of {{date .week}})",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.student_first_name}} submitted hours for the week of {{date .week}}. Please approve them or ask for a correction.{{if .breaches}}\n\nBefore you approve, these hours break the work-hour rules for minors:\n{{breaches .breaches}}\n\nHours over the limits are recorded, but they count toward the internship only if the school decides so.{{else if .flags}}\n\nBefore you approve: {{.flags}}{{end}}",
			Line:    "Approve {{.student_first_name}}'s timesheet for the week of {{date .week}}{{if .breaches}} (it breaks a work-hour rule for minors){{else if .flags}} (check: {{.flags}}){{end}}",
		},
		"feedback_request": {
			SMS:     "Please share a few words of feedback on your intern {{.student_first_name}}:",
			Subject: "Feedback on {{.student_first_name}}'s internship",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.student_first_name}}'s internship is finishing. Please rate a few skills and add a comment; it takes about 3 minutes and completes the student's record.",
			Line:    "Give feedback on {{.student_first_name}}'s internship",
		},
		"deliverable_review_request": {
			SMS:     "Please review {{.student_first_name}}'s project \"{{.project_title}}\":",
			Subject: "Review {{.student_first_name}}'s project",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.student_first_name}} submitted the project \"{{.project_title}}\". Please approve it or ask for changes.",
		},
		"employer_applicants": {
			SMS:     "Students applied to {{.employer_name}}'s internships. See every applicant and answer them here:",
			Subject: "Your internship applicants - {{.employer_name}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nThe link below lists every student who applied to {{.employer_name}}'s internships, with their school, grade, pathway and resume. Move each application to reviewing, interview, offer or declined; the student gets a text at every change. Students who hear back quickly stay; those who wait often take other offers.\n\nKeep the link to come back to this list.",
		},
		"mou_sign_request": {
			SMS:     "Please sign the internship agreement (MOU) for {{.employer_name}} by {{date .sign_by}}; interns start {{date .implementation_date}}:",
			Subject: "Sign the {{.program_year}} internship agreement for {{.employer_name}} by {{date .sign_by}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nTo host paid interns in {{.program_year}}, {{.employer_name}} needs a signed memorandum of understanding (MOU) with the district. Interns are planned to start on {{date .implementation_date}}. Please review and sign it by {{date .sign_by}}, so the district has time to approve it. The agreement runs until {{date .term_end}}.",
		},
		"mou_reminder": {
			SMS:     "Reminder: the internship agreement for {{.employer_name}} must be signed by {{date .sign_by}}; interns start {{date .implementation_date}}:",
			Subject: "Reminder: sign the internship agreement by {{date .sign_by}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nThe internship agreement (MOU) for {{.employer_name}} is not signed yet. Interns cannot start before it is signed and approved, and work is planned to start on {{date .implementation_date}}. Please sign it by {{date .sign_by}}.",
		},
		"mou_returned": {
			SMS:     "The district returned the internship agreement for {{.employer_name}}: {{.reason}} Please sign it again by {{date .sign_by}}:",
			Subject: "Your internship agreement needs a change: please sign again by {{date .sign_by}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nThe district reviewed the internship agreement (MOU) for {{.employer_name}} and returned it:\n\n{{.reason}}\n\nPlease review it and sign it again by {{date .sign_by}}; interns are planned to start on {{date .implementation_date}}.",
		},

		// Student-found placements.
		"found_changes_request": {
			SMS:     "Hi {{.student_first_name}}, your coordinator asked for changes to the internship at {{.employer_name}} you reported. See what to fix:",
			Subject: "Changes needed: your internship at {{.employer_name}}",
			Body:    "Hi {{.student_first_name}},\n\nYour coordinator checked the internship at {{.employer_name}} you reported and asked for changes{{with .comment}}:\n\n{{.}}{{else}}.{{end}}\n\nThe form opens with what you sent; fix it and send it again.",
		},
		"found_declined": {
			SMS:     "Hi {{.student_first_name}}, {{.employer_name}} did not confirm your internship: {{.reason}} Report another or apply to postings:",
			Subject: "{{.employer_name}} did not confirm your internship",
			Body:    "Hi {{.student_first_name}},\n\n{{.employer_name}} did not confirm the internship you reported. Their reason:\n\n{{.reason}}\n\nYou can report another internship you find, or apply to the program's postings. Your coordinator knows and can help.",
		},
		"found_confirmed": {
			SMS:     "Hi {{.student_first_name}}, {{.employer_name}} confirmed your internship! Next steps come by text.",
			Subject: "{{.employer_name}} confirmed your internship",
			Body:    "Hi {{.student_first_name}},\n\n{{.employer_name}} confirmed the internship you found. Congratulations! The next steps (paperwork, trainings, hours) come to you by text as they open.",
		},
		"found_confirm_request": {
			SMS:     "Hi {{.recipient_name}}, {{.student_first_name}} says they will intern with {{.employer_name}}. Please confirm the job details:",
			Subject: "Please confirm {{.student_first_name}}'s internship with {{.employer_name}}",
			Body:    "Hello {{.recipient_name}},\n\n{{.student_first_name}}, a student in our internship program, told us they found an internship with {{.employer_name}} and named you as their supervisor. Please check the job, hours, pay and supervision and confirm, or tell us why not. It takes two minutes.",
			Line:    "Confirm {{.student_first_name}}'s internship with {{.employer_name}}",
		},

		// To staff.
		"coordinator_stuck": {
			SMS:     "{{.student_first_name}}'s {{step .step}} has waited{{with .waiting_on}} on {{waiting .}}{{end}} since {{date .since}}; reminders have not helped. See:",
			Subject: "{{.student_first_name}} is stuck: {{step .step}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.student_first_name}}'s {{step .step}} has been waiting{{with .waiting_on}} on {{waiting .}}{{end}} since {{date .since}}, and the reminders sent have not helped. Please follow up.",
		},
		"found_vetting_request": {
			SMS:     "{{.student_first_name}} found an internship at {{.employer_name}}. Please check it:",
			Subject: "Check the internship {{.student_first_name}} found at {{.employer_name}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.student_first_name}} reported an internship they found at {{.employer_name}}. Please check the worksite, supervisor, pay, hours and duties, then approve it or ask the student for changes. Once approved, the supervisor is asked to confirm.",
		},
		"found_declined_staff": {
			SMS:     "{{.employer_name}} did not confirm the internship {{.student_first_name}} found: {{.reason}} See:",
			Subject: "{{.employer_name}} did not confirm {{.student_first_name}}'s internship",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.employer_name}} did not confirm the internship {{.student_first_name}} reported. Their reason:\n\n{{.reason}}\n\n{{.student_first_name}} is back to applying and has been told.",
		},
		"badge_review_request": {
			SMS:     "{{.student_first_name}}'s resume and cover letter are ready for Intern Ready review:",
			Subject: "Review {{.student_first_name}}'s resume for the Intern Ready badge",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.student_first_name}} uploaded a resume and cover letter. Please approve them or return them with a comment.",
		},
		"permit_approval_request": {
			SMS:     "Hi {{.recipient_name}}, {{.student_first_name}}'s work permit is signed and waiting for your approval:",
			Subject: "Approve {{.student_first_name}}'s work permit",
			Body:    "Hello {{.recipient_name}},\n\nThe student, a parent and the employer have signed {{.student_first_name}}'s work permit. Please approve it or reject it with a reason.",
		},
		"hours_flagged": {
			SMS:     "{{.student_first_name}}'s timesheet for the week of {{date .week}} breaks a work-hour rule for minors{{if .withheld}} ({{hours .withheld}} held until you decide){{end}}. Details:",
			Subject: "Check {{.student_first_name}}'s hours: week of {{date .week}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.student_first_name}}'s timesheet for the week of {{date .week}} breaks the work-hour rules for minors:\n{{if .breaches}}{{breaches .breaches}}{{else}}{{.flags}}{{end}}{{if .withheld}}\n\n{{hours .withheld}} over the limits are recorded but not counted toward the required hours until you decide, on the student's page, whether they count.{{end}}\n\nThe supervisor sees the same note before approving, and the student on their timesheet.",
		},
		"contact_unreachable": {
			SMS:     "We cannot reach {{with .person}}{{.}} ({{role $.party $.student_first_name}}){{else}}{{who .party .student_first_name}}{{end}}{{with channel .channel}} by {{.}}{{end}}: {{reason .reason}}.",
			Subject: "We cannot reach {{with .person}}{{.}} ({{role $.party $.student_first_name}}){{else}}{{who .party .student_first_name}}{{end}}{{with channel .channel}} by {{.}}{{end}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nMessages to {{with .person}}{{.}} ({{role $.party $.student_first_name}}){{else}}{{who .party .student_first_name}}{{end}}{{with channel .channel}} by {{.}}{{end}} are not getting through: {{reason .reason}}. Please check the contact details or reach out another way.",
		},
		"mou_approval_request": {
			SMS:     "The internship agreement (MOU) for {{.employer_name}} is signed and waiting for your approval; interns start {{date .implementation_date}}:",
			Subject: "Approve the internship agreement for {{.employer_name}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.employer_name}} signed its internship agreement (MOU). Interns are planned to start on {{date .implementation_date}}; please review and approve it so they can start.",
		},
		"mou_escalation": {
			SMS:     "The MOU for {{.employer_name}} is still not approved and interns start {{date .implementation_date}}:",
			Subject: "MOU for {{.employer_name}} not approved; interns start {{date .implementation_date}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nThe internship agreement (MOU) for {{.employer_name}} is not approved yet, and interns are due to start on {{date .implementation_date}}. It is waiting for {{if eq .mou_status \"employer_signed\"}}the district's approval{{else}}the employer's signature{{end}}. Please follow up.",
		},
		"staff_invite": {
			SMS:     "{{.inviter}} invited you to sign in for {{.district}}:",
			Subject: "{{.inviter}} invited you to {{.district}} on internflow",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\n{{.inviter}} invited you to sign in to internflow, where {{.district}} runs its internship programs. Use the link below to sign in; it works once and expires in 7 days. After that, ask for a new link on the sign-in page with this email address.",
		},
		"staff_login": {
			SMS:     "Your sign-in link (it works once and expires soon):",
			Subject: "Your sign-in link for {{.program}}",
			Body:    "Hello{{with .recipient_name}} {{.}}{{end}},\n\nUse the link below to sign in to {{.program}}. It works once and expires soon. If you did not ask for it, ignore this email.",
		},
	},
}
