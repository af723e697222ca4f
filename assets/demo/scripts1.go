package demo

// The scripted lines of the first five meetings (January to April 2022). All
// dialogue is invented.

// say is an ordinary scripted line.
func say(who, text string) line { return line{Who: who, Text: text} }

func meetingDataAccessSync() *meeting {
	const mia, jordan, rosa, wei, gao, samira = "Mia Chen", "Jordan Pike", "Rosa Delgado", "Wei Zhang", "Gao Shuang", "Samira Patel"
	return &meeting{
		File: "2022-01-14_data-access-sync.vtt", Format: FormatVTT, Title: "Data access sync (Teams)",
		Date: "2022-01-14", Style: styleMeeting, Target: 72, Seed: 1, Speakers: true, Write: writeTeamsVTT,
		Attendees: []string{mia, jordan, rosa, wei, gao, samira},
		Topics: []string{"the UserVault role clean-up", "the quarterly access review", "the Beijing support rota",
			"the TrustDesk export limits", "the retention hold", "the policy summary"},
		Script: []line{
			say(mia, "Okay, I think we have everyone. Thanks for joining so late in your day, Beijing folks."),
			say(gao, "No problem, it's evening here. We have about thirty minutes before our next call."),
			pause(),
			say(mia, "The reason I set this up is the access review. I went through the UserVault group memberships last week."),
			say(jordan, "And what did you find?"),
			q(QuoteContradicts, mia, "Our Beijing team still has standing access to the US user tables, and nobody on this call can tell me who approves it."),
			say(gao, "It's for debugging. When the recommendation pipeline breaks, we need to look at real records."),
			say(rosa, "Real records meaning phone numbers and emails? Or just the public profile?"),
			say(wei, "Sometimes the device IDs. Sometimes the phone, if the account linking is broken."),
			say(rosa, "That is protected data under our own policy. It needs a ticket every time."),
			say(wei, "We open tickets when it is a long task. For small checks it is faster to just query."),
			say(jordan, "How small is small?"),
			say(wei, "A few hundred rows. Sometimes a few thousand."),
			say(samira, "A few thousand US users' phone numbers is not small from an incident response point of view."),
			pause(),
			say(mia, "I'm not trying to blame anyone. I need to know what the real process is before we write it down for the policy team."),
			q(QuoteContradicts, gao, "The real process is that the project lead approves. For our team that is usually Li Na."),
			say(jordan, "So the approver for US data access is sitting in Beijing."),
			say(gao, "For engineering access, yes. Security in Austin sees the tickets afterwards."),
			say(rosa, "Afterwards is not approval."),
			pause(),
			say(mia, "Jordan, can your team pull a list of every query against the us_users tables from outside Austin for December?"),
			say(jordan, "We can. It won't be pretty. The Aurora-Analytics logs are only kept for ninety days."),
			say(samira, "Then let's make sure we preserve them before they roll off."),
			say(jordan, "I'll open a retention hold today."),
			pause(),
			say(wei, "We can also share our query history if it helps."),
			say(mia, "It helps. Thank you, Wei."),
			say(rosa, "I'll draft a one-page summary of the policy as written, so we can compare it with what actually happens."),
			say(gao, "Please include that our team needs some access to do the job. We cannot debug with aggregate tables only."),
			say(mia, "Understood. But the policy says US staff approve access to US data. That's the line I'm going to hold."),
			pause(),
			say(jordan, "Next sync in two weeks? I'd like the list by then."),
			say(mia, "Two weeks. Thanks, everyone."),
		},
	}
}

func meetingBeijingStandup() *meeting {
	const li, wei, feng, tang, han, qian = "Li Na", "Wei Zhang", "Feng Rui", "Tang Jiahui", "Han Yue", "Qian Bo"
	return &meeting{
		File: "2022-02-03_beijing-eng-standup.srt", Format: FormatSRT, Title: "Beijing engineering stand-up (captions)",
		Date: "2022-02-03", Style: styleMeeting, Target: 48, Seed: 2, Speakers: true, Write: writeSRT,
		Attendees: []string{li, wei, feng, tang, han, qian},
		Topics: []string{"the US ranking test", "the cohort rebuild", "the export batch size",
			"the friend suggestion work", "the on-call handover"},
		Script: []line{
			say(li, "Good morning. Let's go quickly, I have the platform review at ten."),
			say(feng, "The ranking test for the US market is still running. Click-through is up two percent."),
			pause(),
			say(li, "Good. Any blockers?"),
			say(feng, "We need fresh device IDs to rebuild the US cohort."),
			q(QuoteContradicts, wei, "I pulled the US phone numbers again last night for the ranking test, same as last week."),
			say(tang, "Did you use a ticket this time?"),
			say(wei, "No. The ticket queue in Austin takes three days. Li Na said it was fine."),
			q(QuoteKey, li, "It is fine. I am the admin for the cluster. I will cover it."),
			say(han, "Model retraining finished on the Singapore data. Metrics look stable."),
			pause(),
			say(qian, "The UserVault API was slow overnight. I think the export jobs from our side are too large."),
			q(QuoteKey, li, "Split them into smaller batches. Nobody in Austin looks at the small ones."),
			say(tang, "The Shanghai team also asked for the US contacts table for the friend suggestion work."),
			say(li, "Send me the request, I'll approve it."),
			say(feng, "Should we tell Mia's team? They asked about access in the January meeting."),
			say(li, "Not now. After the review."),
			say(qian, "Okay. I'll fix the batch size today."),
			pause(),
			say(li, "Thanks, everyone. Same time tomorrow."),
		},
	}
}

func meetingApprovalWorkflow() *meeting {
	const priya, conor, rosa, jordan, li, mia = "Priya Raman", "Conor Walsh", "Rosa Delgado", "Jordan Pike", "Li Na", "Mia Chen"
	return &meeting{
		File: "2022-02-22_approval-workflow-review.txt", Format: FormatOtter, Title: "Approval workflow review (Otter)",
		Date: "2022-02-22", Style: styleMeeting, Target: 90, Seed: 3, Speakers: true, Write: writeOtter,
		Attendees: []string{priya, conor, rosa, jordan, li, mia},
		Topics: []string{"the approval workflow in TrustDesk", "the group-based auto-approval", "the audit trail",
			"the new request form", "the escalation path", "the break-glass alerts"},
		Script: []line{
			say(rosa, "Thanks for making time. Today is just the approval workflow, end to end, from request to grant."),
			pause(),
			say(priya, "I'll share my screen. This is the request form in TrustDesk as it works today."),
			say(priya, "You pick the dataset, the region, the reason, and the approver field is filled in from your group."),
			say(conor, "Filled in automatically? By whom?"),
			say(priya, "By the group mapping. Each engineering group has a default approver."),
			say(jordan, "And if the requester is in the admin group?"),
			q(QuoteContradicts, priya, "The approval step is a checkbox. If you are in the admin group, the request approves itself."),
			say(mia, "How many people are in the admin group?"),
			say(li, "For the Beijing cluster, around twenty. It is necessary for on-call."),
			say(conor, "In Dublin we turned that off for EU data in 2020. Every EU request goes to a named person in Dublin."),
			say(rosa, "So EU data has a stricter process than US data. That is going to be awkward to explain."),
			pause(),
			say(jordan, "Can we get the auto-approval disabled for anything tagged US?"),
			say(li, "We can, but on-call will break. If an engineer gets paged at night they cannot wait for Austin to wake up."),
			say(mia, "Then on-call can use the aggregate views. They do not need phone numbers at three in the morning."),
			say(li, "Sometimes they do. Account linking problems need the phone."),
			say(priya, "We could add a break-glass path that logs and alerts. That's what we do in Singapore for SG data."),
			say(conor, "Break-glass with an alert to the US security team, not to the requester's own manager."),
			say(jordan, "I like that. My team can take the alerts."),
			pause(),
			say(rosa, "Timeline?"),
			say(li, "The change itself is small. Testing and rollout, maybe six weeks."),
			say(mia, "Six weeks puts us past the middle of April."),
			say(rosa, "Which matters, because Daniel tells me there's a hearing in April."),
			say(priya, "Then I'd suggest we don't describe the new workflow as live until it actually is."),
			say(jordan, "Agreed. I'll write up the requirements tonight."),
			say(conor, "Send them to me too. I'll check them against what we did for the EU."),
			pause(),
			say(rosa, "Thanks, all. Let's regroup in two weeks."),
		},
	}
}

func meetingLegalPrep() *meeting {
	const daniel, claire, mia, jordan, victor = "Daniel Okafor", "Claire Abernathy", "Mia Chen", "Jordan Pike", "Victor Hale"
	return &meeting{
		File: "2022-03-09_legal-prep.txt", Format: FormatRev, Title: "Hearing preparation with counsel (Rev)",
		Date: "2022-03-09", Style: styleMeeting, Target: 64, Seed: 4, Speakers: true, Write: writeRev,
		Attendees: []string{daniel, claire, mia, jordan, victor},
		Topics: []string{"the testimony draft", "the committee's written questions", "the talking points",
			"the data map", "the approval workflow change"},
		Script: []line{
			say(daniel, "Okay. This call is privileged and confidential, at the direction of counsel. Let's walk through Claire's draft testimony."),
			pause(),
			say(claire, "The core message is simple. US data is protected, access is controlled, and the controls are run from the US."),
			say(daniel, "Mia, Jordan, I need you to tell me if any sentence in the draft is not accurate today."),
			say(mia, "Page two. Every request is reviewed and approved by our US-based security team."),
			q(QuoteKey, daniel, "If we say every access is approved by the US security team, that has to be literally true by April."),
			q(QuoteContradicts, mia, "It is not true today, Daniel. Engineers in Beijing approve each other, and admins approve themselves."),
			say(victor, "The workflow change is in progress. Jordan, where are we?"),
			say(jordan, "Requirements are done. Li Na's team says six weeks. I'd say eight."),
			say(claire, "So it could be live by the hearing."),
			say(jordan, "It could be. I wouldn't testify to it."),
			pause(),
			say(daniel, "Then we either change the sentence or we change the date of the sentence."),
			say(claire, "I don't want to go in there and say we're working on it. That's the headline they want."),
			say(victor, "We could say the policy requires US approval. The policy does say that."),
			say(mia, "The policy says it. The logs don't."),
			say(daniel, "Jordan, what do the logs say for January and February?"),
			q(QuoteKey, jordan, "We've seen dozens of reads of protected US tables from Beijing and Shanghai since January, and a good share have no ticket at all."),
			say(daniel, "Dozens. Out of how many reads in total?"),
			say(jordan, "Tens of thousands. Most are normal. These aren't."),
			say(claire, "Can we characterize those as exceptions that are being remediated?"),
			say(daniel, "We can, if we're also willing to produce the numbers when asked. And we will be asked."),
			pause(),
			say(victor, "Let's keep the draft as it is for now and revisit after the workflow demo on the twenty-fifth."),
			say(mia, "I want it noted that I raised this."),
			say(daniel, "It's noted. That's what these notes are for."),
			pause(),
			say(claire, "Fine. Let's move on to the written questions."),
		},
	}
}

func meetingHearing() *meeting {
	const chair, halvorsen, whitcombe, abernathy, okafor = "The Chair", "Senator Halvorsen", "Senator Whitcombe", "Ms. Abernathy", "Mr. Okafor"
	return &meeting{
		File: "2022-04-12_committee-hearing-excerpt.txt", Format: FormatHearing, Title: "Committee hearing (excerpt)",
		Date: "2022-04-12", Style: styleHearing, Target: 49, Seed: 5, Speakers: true, Write: writeHearing,
		Caption:   hearingCaption(),
		Attendees: []string{chair, halvorsen, whitcombe, abernathy, okafor},
		Topics:    []string{"the approval controls"},
		Script: []line{
			say(chair, "The committee will come to order. Today we examine how short-video platforms handle the data of American users. I welcome our witnesses from Lumora."),
			say(chair, "Ms. Abernathy, you are recognized for your opening statement."),
			say(abernathy, "Thank you, Madam Chair, and members of the committee. I appreciate the opportunity to be here today."),
			say(abernathy, "Lumora was founded in Austin, and our American users' data is stored in the United States."),
			q(QuoteStatement, abernathy, statementWords[0]),
			q(QuoteStatement, abernathy, statementWords[1]),
			say(chair, "Thank you. Senator Halvorsen."),
			say(halvorsen, "Thank you, Madam Chair. Ms. Abernathy, I want to follow up on that sentence about approvals."),
			say(halvorsen, "Can an engineer in Beijing see the phone number of a user in Ohio?"),
			say(abernathy, "Senator, our engineers in other countries work on aggregate data. Access to individual records requires approval."),
			say(halvorsen, "Approval by whom?"),
			say(abernathy, "By our U.S.-based security team."),
			say(halvorsen, "Every time?"),
			say(abernathy, "That is our policy, Senator."),
			say(halvorsen, "I did not ask about your policy. I asked what happens. Mr. Okafor, you are counsel. Can you answer?"),
			q(QuoteStatement, okafor, statementWords[2]),
			say(halvorsen, "Is there anyone at Lumora, anywhere, with an account that can see all user data without asking anyone?"),
			q(QuoteStatement, abernathy, statementWords[3]),
			say(halvorsen, "I will hold you to that. I would like the approval logs for the first quarter provided to the committee."),
			say(okafor, "We will work with committee staff on an appropriate production."),
			say(halvorsen, "Not an appropriate production, Mr. Okafor. The logs."),
			say(chair, "Senator Whitcombe."),
			say(whitcombe, "Thank you. Ms. Abernathy, how many Lumora employees are based in China?"),
			say(abernathy, "We have engineering offices in Beijing and Shanghai, Senator. I can get you an exact number."),
			say(whitcombe, "Roughly."),
			say(abernathy, "A few hundred, across engineering functions."),
			say(whitcombe, "And none of them can see my constituents' private messages."),
			say(abernathy, "Not without approval, Senator."),
			say(whitcombe, "Which brings us back to who approves. I yield back."),
			say(chair, "Senator Halvorsen, for a second round."),
			say(halvorsen, "Ms. Abernathy, does Lumora keep logs of every access to U.S. user data?"),
			say(abernathy, "Yes, Senator. Access is logged in our systems."),
			say(halvorsen, "And who reviews those logs?"),
			say(abernathy, "Our security team in Austin reviews them on a regular basis."),
			say(halvorsen, "How regular?"),
			say(abernathy, "I would want to confirm the exact cadence with the team."),
			say(halvorsen, "Has that review ever found an engineer in China viewing U.S. user data without approval?"),
			say(okafor, "Senator, I am not aware of any such finding being confirmed."),
			say(halvorsen, "Not aware, or it did not happen?"),
			say(okafor, "I am not aware of it, Senator."),
			say(halvorsen, "Thank you. I will be sending a letter. I yield back."),
			say(whitcombe, "Madam Chair, may I ask one more?"),
			say(chair, "Briefly."),
			say(whitcombe, "Ms. Abernathy, who at Lumora can approve their own request to see user data?"),
			say(abernathy, "No one should be able to approve their own request, Senator."),
			say(whitcombe, "Should, or can?"),
			say(abernathy, "I will confirm that for the record."),
			say(chair, "I thank the witnesses for their testimony."),
			say(chair, "The record will remain open for two weeks for questions for the record."),
		},
	}
}

// statementWords are Lumora's fictional public claims, as spoken at the
// hearing.
var statementWords = []string{
	"Access to protected U.S. user data is limited to approved personnel, and every request is reviewed and approved by our U.S.-based security team.",
	"We have strict approval controls, we audit them, and we are continually strengthening them.",
	"No engineer outside the United States can view protected U.S. user data without a documented approval from that team.",
	"There is no master account or back door that lets anyone in China see U.S. user data.",
}

// statements lists the claims the evidence contradicts.
func statements() []Statement {
	const file, where, date = "2022-04-12_committee-hearing-excerpt.txt", "Hearing of the Select Committee on Platform Accountability (fictional)", "2022-04-12"
	abernathy := "Claire Abernathy, VP Public Policy, Lumora"
	return []Statement{
		{Who: abernathy, Date: date, Where: where, Words: statementWords[0], File: file},
		{Who: abernathy, Date: date, Where: where, Words: statementWords[1], File: file},
		{Who: "Daniel Okafor, US Counsel, Lumora", Date: date, Where: where, Words: statementWords[2], File: file},
		{Who: abernathy, Date: date, Where: where, Words: statementWords[3], File: file},
	}
}
