package demo

// The scripted lines of the last five meetings (May to September 2022). All
// dialogue is invented.

// meetings returns the ten meetings in date order.
func meetings() []*meeting {
	return []*meeting{
		meetingDataAccessSync(), meetingBeijingStandup(), meetingApprovalWorkflow(), meetingLegalPrep(),
		meetingHearing(), meetingMasterAdmin(), meetingZoomChat(), meetingIncidentReview(),
		meetingOffshoreAudit(), meetingSingaporeHandover(),
	}
}

func meetingMasterAdmin() *meeting {
	const mia, li, wei, samira, jordan, priya = "Mia Chen", "Li Na", "Wei Zhang", "Samira Patel", "Jordan Pike", "Priya Raman"
	return &meeting{
		File: "2022-05-18_master-admin-call.txt", Format: FormatPlain, Title: "Master admin call (notes)",
		Date: "2022-05-18", Style: styleMeeting, Target: 110, Seed: 6, Speakers: true, Write: writePlain,
		Attendees: []string{mia, li, wei, samira, jordan, priya},
		Topics: []string{"the admin group clean-up", "the break-glass alerts", "the UserVault super-user role",
			"the May access review", "the on-call rota", "the approval export"},
		Script: []line{
			say(mia, "Thanks for joining. I want to go through the admin accounts on the Beijing cluster, one by one."),
			say(li, "Sure. There are three kinds of admin. Cluster admin, data admin, and the master admin."),
			pause(),
			say(samira, "What's the difference between data admin and master admin?"),
			say(li, "Data admin can read the tables for their own project. Master admin can read every table and approve requests for anyone."),
			say(jordan, "Every table, including us_users?"),
			q(QuoteContradicts, li, "There is a master admin here in Beijing who can see everything, US users included."),
			say(jordan, "Who holds it?"),
			say(li, "I do. And there is one backup account for on-call, which Gao Shuang controls."),
			say(mia, "Li Na, five weeks ago our VP told the committee there is no master account."),
			say(li, "I know. I watched it. I don't think she was told."),
			pause(),
			say(priya, "From Singapore we can see requests approved by the master admin for US contacts data. That has been going on since at least March."),
			say(wei, "Most of those are for the ranking test. It is not personal, it's to fix the model."),
			say(samira, "Wei, when you say fix the model, how many records are we talking about?"),
			say(wei, "Sometimes small. Sometimes we export the whole device table for a cohort."),
			q(QuoteContradicts, mia, "So everything is seen in China, and the approvals we showed the committee do not cover any of it."),
			say(li, "Not everything is seen. Everything can be seen. There is a difference."),
			say(mia, "Not to a user in Texas there isn't."),
			pause(),
			say(jordan, "Can the master admin role be removed today?"),
			say(li, "Technically, yes. But I need an instruction from my management, not from Austin."),
			say(samira, "Who is your management for this purpose?"),
			say(li, "The platform team here. They report to headquarters engineering."),
			say(mia, "Headquarters is Austin."),
			q(QuoteKey, li, "On paper, yes. In practice the platform decisions are made here."),
			say(jordan, "I'm going to ask Victor to send that instruction in writing today."),
			say(priya, "Could we at least route master admin approvals to an alert in Austin in the meantime?"),
			say(li, "That I can do this week."),
			pause(),
			say(samira, "I want a copy of every approval the master admin has granted since January."),
			say(li, "I can export it. It will be long."),
			say(mia, "Long is fine. Daniel will want it too."),
			say(wei, "Should I stop the ranking exports until this is decided?"),
			say(mia, "Yes. Please."),
			say(wei, "Okay. I will tell Feng Rui."),
			pause(),
			say(jordan, "Let's meet again on Friday."),
		},
	}
}

func meetingZoomChat() *meeting {
	const priya, conor, arjun, mia, siobhan, tan = "Priya Raman", "Conor Walsh", "Arjun Nair", "Mia Chen", "Siobhan Keane", "Tan Hui Min"
	return &meeting{
		File: "GMT20220607-150102_zoom-chat.txt", Format: FormatZoomChat, Title: "APAC and EU data governance call (Zoom chat)",
		Date: "2022-06-07", Style: styleChat, Target: 72, Seed: 7, Speakers: true, Write: writeZoomChat,
		Attendees: []string{priya, conor, arjun, mia, siobhan, tan},
		Topics:    []string{"the SG contacts migration", "the EU DPIA", "the June access review", "the gateway design"},
		Script: []line{
			say(priya, "Morning / evening all, agenda is in the invite"),
			say(conor, "thanks Priya"),
			say(arjun, "I've put the numbers for May in the sheet, tab 3"),
			say(mia, "thanks Arjun, looking now"),
			pause(),
			q(QuoteContradicts, priya, "heads up: Beijing asked us to re-run the US contacts export and just put Li Na as approver"),
			say(conor, "wait, US contacts? from Singapore?"),
			say(arjun, "yes, the job runs on our cluster because Beijing's export quota is used up"),
			say(mia, "who asked exactly?"),
			say(priya, "request came from Feng Rui, approval pre-filled with Li Na"),
			say(siobhan, "that's not a valid approver for US data under the policy"),
			say(tan, "we haven't run it. we're holding until someone in Austin says yes"),
			say(mia, "please keep holding. I'll escalate to Jordan and Victor"),
			pause(),
			say(conor, "can we get this written up? I think Daniel needs to see it"),
			say(priya, "will do, sending to Daniel after this call"),
			q(QuoteKey, arjun, "fyi the previous run in April went through, I saw it in the UserVault history"),
			say(mia, "April? after the hearing?"),
			say(arjun, "April 27 I think. 4,800 records"),
			say(siobhan, "Reacted to \"April? after the hearing?\" with \U0001F62E"),
			pause(),
			say(conor, "ok I need to drop in 5, will read back"),
			say(priya, "thanks everyone, notes to follow"),
		},
	}
}

func meetingIncidentReview() *meeting {
	const samira, jordan, mia, daniel, victor, tyler = "Samira Patel", "Jordan Pike", "Mia Chen", "Daniel Okafor", "Victor Hale", "Tyler Grant"
	return &meeting{
		File: "2022-07-21_incident-review.json", Format: FormatWhisperJSON, Title: "Incident review: June export (Whisper)",
		Date: "2022-07-21", Style: styleMeeting, Target: 120, Seed: 8, Speakers: false, Write: writeWhisper,
		Attendees: []string{samira, jordan, mia, daniel, victor, tyler},
		Topics: []string{"the service account inventory", "the export size limit", "the overnight paging",
			"the storage bucket", "the review document", "the timeline"},
		Script: []line{
			say(samira, "Okay, let's start. This is the incident review for the June export. I'll keep it blameless, but I want it accurate."),
			say(jordan, "Timeline first. The alert fired on June 29th at about three in the morning UTC."),
			say(tyler, "It was the new break-glass alert, the one we added in May. It was the first real alert we got from it."),
			pause(),
			q(QuoteKey, samira, "The export of 58,213 US device identifiers on June 29th had no approval ticket at all."),
			say(jordan, "It was run by a data engineer in Beijing, under the ranking test project."),
			say(mia, "The same project we were told in May would stop its exports."),
			say(tyler, "The job used a service account that still had the master admin role."),
			say(victor, "I thought that role was removed."),
			say(tyler, "It was removed from Li Na\u2019s personal account. The service account wasn\u2019t on the list."),
			say(daniel, "Does the export still exist anywhere?"),
			say(jordan, "We know it landed on a storage bucket in the Beijing region. We don't know where it went from there."),
			say(daniel, "Then we have to treat it as having left our control."),
			pause(),
			say(samira, "Contributing factors. One, the service account. Two, the alert went to a queue nobody watched overnight."),
			say(tyler, "Three, the export size limit only applies in UserVault, not in Aurora-Analytics."),
			say(victor, "Action items. Jordan, inventory every service account with access to US tables by Friday."),
			say(jordan, "Done by Friday."),
			say(victor, "Tyler, page a human for break-glass alerts, twenty-four seven."),
			say(tyler, "Already in progress."),
			pause(),
			q(QuoteKey, daniel, "And we have to consider whether what was said at the hearing in April needs to be corrected."),
			say(victor, "Let's discuss that separately."),
			say(daniel, "We can discuss it separately, but we can't not discuss it."),
			pause(),
			say(mia, "I'd like the review document to say plainly that the approval controls were not in place."),
			say(samira, "It will say what happened. That's the point of the review."),
			say(samira, "Thanks, everyone."),
		},
	}
}

func meetingOffshoreAudit() *meeting {
	const helen, rosa, jordan, conor, priya, daniel = "Helen Marchetti", "Rosa Delgado", "Jordan Pike", "Conor Walsh", "Priya Raman", "Daniel Okafor"
	return &meeting{
		File: "2022-08-30_offshore-access-audit.csv", Format: FormatCSV, Title: "Offshore access audit: preliminary findings",
		Date: "2022-08-30", Style: styleMeeting, Target: 96, Seed: 9, Speakers: true, Write: writeCSVTranscript,
		Attendees: []string{helen, rosa, jordan, conor, priya, daniel},
		Topics: []string{"the sample design", "the management responses", "the EU comparison",
			"the final report", "the evidence requests", "the fieldwork schedule"},
		Script: []line{
			say(helen, "Thank you for having us. As agreed, today we walk through the preliminary findings of the offshore access audit, January through July."),
			pause(),
			say(helen, "We sampled five hundred reads of protected US data from outside the United States, drawn from the UserVault and Aurora-Analytics logs."),
			say(rosa, "And how did you define protected?"),
			say(helen, "Your own policy definition: phone, email, birthday, precise location, device identifiers, contacts and messages."),
			q(QuoteContradicts, helen, "Out of the sample we pulled, roughly four in ten offshore reads of US data had no approval ID."),
			say(jordan, "That's consistent with what we found internally, for what it's worth."),
			q(QuoteContradicts, helen, "Of the reads that were approved, almost half were approved by someone located in China."),
			say(conor, "For comparison, what did the EU sample look like?"),
			say(helen, "We found no unapproved reads of EU protected data in the sample. The Dublin process held up."),
			pause(),
			say(priya, "Singapore has a handful of US reads. Those were routed through us at Beijing's request."),
			say(helen, "We saw those. They are in the findings, with the approver recorded as Li Na."),
			say(daniel, "Helen, will the final report describe the hearing testimony?"),
			say(helen, "It will compare the controls as described publicly with the controls as operated. That's within scope."),
			pause(),
			say(daniel, "Understood."),
			say(rosa, "What about US staff? Are there gaps on our side too?"),
			q(QuoteKey, helen, "Yes. About two hundred reads by Austin staff had no approval ID. Mostly quick lookups, but the policy doesn't exempt them."),
			say(jordan, "Fair. We'll own that."),
			pause(),
			say(helen, "Final report in four weeks. Management responses are due two weeks before that."),
			say(rosa, "We'll have them."),
		},
	}
}

func meetingSingaporeHandover() *meeting {
	const priya, li, arjun, mia, jordan, kenji, tan = "Priya Raman", "Li Na", "Arjun Nair", "Mia Chen", "Jordan Pike", "Kenji Morimoto", "Tan Hui Min"
	return &meeting{
		File: "2022-09-15_singapore-handover.vtt", Format: FormatVTT, Title: "Singapore handover (Zoom transcript)",
		Date: "2022-09-15", Style: styleMeeting, Target: 140, Seed: 10, Speakers: true, Write: writeZoomVTT,
		Attendees: []string{priya, li, arjun, mia, jordan, kenji, tan},
		Topics: []string{"the runbooks", "the gateway load test", "the service accounts", "the on-call rota",
			"the allow-list", "the credential rotation", "the Q&A session for the new team"},
		Script: []line{
			say(priya, "Welcome, everyone. This is the handover of US data operations support from Beijing to Singapore."),
			say(jordan, "From the first of October, Singapore is the only office outside the US with a path to US user data, and only through the new gateway."),
			say(li, "We've prepared the runbooks. Twenty-three jobs move to Singapore."),
			say(arjun, "We've reviewed seventeen. Six still have hard-coded credentials for the Beijing cluster."),
			pause(),
			say(kenji, "The gateway goes live on the twenty-eighth if load testing passes."),
			say(mia, "And until then?"),
			q(QuoteContradicts, li, "After the handover, Beijing keeps read access to the US tables until the new gateway is live."),
			say(mia, "That's the part I can't accept. The audit is about to say four in ten reads had no approval."),
			say(jordan, "Li Na, can the read access be limited to the six jobs, by service account, with alerts?"),
			say(li, "Yes, for the jobs. Not for the people, because on-call still need it."),
			say(tan, "Singapore on-call can cover US incidents from the first. We've hired for it."),
			pause(),
			say(priya, "Then there's no reason for people in Beijing to keep personal access."),
			say(li, "I will need that in writing from headquarters."),
			say(jordan, "You'll have it today, from Victor."),
			q(QuoteKey, mia, "For the record, the master admin role was still granting approvals for US data as of last week."),
			say(li, "Through the service accounts, yes. Those are on Arjun's list."),
			say(arjun, "Correct. Four service accounts. Two of them approved their own requests."),
			say(kenji, "We'll remove them from the gateway allow-list."),
			say(kenji, "I'll also run a Q&A for the new on-call team on Monday."),
			pause(),
			say(priya, "Okay. Let's go through the runbooks one by one."),
			pause(),
			say(priya, "Thanks, everyone. Next checkpoint on the twenty-second."),
		},
	}
}
