package demo

import (
	"math/rand/v2"
	"strings"
)

// Phrase banks for the filler between scripted lines. The filler is ordinary
// meeting talk, drawn deterministically; the scripts carry the story.

var meetingTemplates = []string{
	"I can take the action item on {topic}.",
	"Do we have a date for {topic} yet?",
	"Let me check with {person} and come back to you on {topic}.",
	"I think {topic} is blocked until {system} gets the new role definitions.",
	"Can we park {topic} for now and come back to it at the end?",
	"My understanding is that {topic} was signed off last {day}.",
	"Can everyone see my screen? This is the {system} dashboard we use for {topic}.",
	"That matches what I saw in {system} this morning.",
	"We should write that down so it is in the notes.",
	"I'll send the spreadsheet round after the call.",
	"Sorry, you cut out for a second there. Could you repeat the part about {topic}?",
	"Agreed.",
	"Yeah, that makes sense.",
	"Okay.",
	"Mm-hmm.",
	"Right.",
	"Who owns {topic} on the engineering side?",
	"I'd like {person} to weigh in on {topic} before we decide anything.",
	"We talked about {topic} two weeks ago and nothing has moved.",
	"Is there a ticket for {topic}, or are we tracking it in the doc?",
	"From the {system} side, nothing has changed since {day}.",
	"I don't want us to overpromise on {topic}.",
	"How many people are we talking about, roughly?",
	"Can you put a number on that?",
	"Let's not solve it in this meeting; let's agree who owns it.",
	"I'm fine with that as long as it's written down.",
	"We need {person} in the loop on {topic}.",
	"The short answer is yes, but there is a longer answer.",
	"I'll follow up offline.",
	"Just to level-set, {topic} is still in progress.",
	"Honestly, the documentation for {system} is out of date.",
	"Do we know when that was last reviewed?",
	"I can have a draft on {topic} by {day}.",
	"That's a fair point.",
	"Let me pull up the numbers.",
	"Hang on, someone is at my door. Two seconds.",
	"Sorry, I was on mute.",
	"Can we get the access list for {system} exported before the next sync?",
	"I'd rather we looked at the logs than relied on memory.",
	"Okay, moving on to {topic}.",
	"Is {person} still with us?",
	"I think we're mixing up two different things here.",
	"Noted.",
	"Good question. I don't know offhand.",
	"We had the same discussion about {topic} in the autumn.",
	"That is probably a question for legal.",
	"Let me make sure I understand the ask.",
	"We can circle back on {topic} next {day}.",
	"What's the risk if we do nothing on {topic} for another month?",
	"I've put a comment in the doc about {topic}.",
	"Can I push back on that a little?",
	"The numbers I have are from {day}, so they may be a bit stale.",
	"Does anyone object to {person} owning {topic}?",
	"I'd want security to sign off on {topic} before anything ships.",
	"Let's timebox this to five minutes.",
	"We're at time on this item, so let's take the rest offline.",
	"Is this written down anywhere, or is it tribal knowledge?",
	"I can share the query I used, if that helps.",
	"Same answer as last time, I'm afraid.",
	"There's a dependency on {system} there that we shouldn't forget.",
	"For {topic}, I'd rather over-communicate than under-communicate.",
	"Can we get {topic} on the agenda for next {day}?",
	"Sorry, my internet is unstable today.",
	"Thanks, that's helpful context.",
	"I'm not sure that's accurate, but let me check before I say more.",
	"I'll update the tracker.",
	"Who else needs to be in the room for {topic}?",
	"That was before the re-org, so I'm not sure it still applies.",
}

var witnessTemplates = []string{
	"Thank you, Senator.",
	"I would be happy to follow up with your office on that.",
	"Senator, I want to be precise in my answer.",
	"I do not have that figure in front of me, but we will provide it for the record.",
	"I appreciate the question.",
	"That is my understanding, Senator.",
	"I would have to check with our teams before giving you a number.",
	"We take the privacy of our users extremely seriously.",
	"With respect, Senator, I do not think that is a fair characterization.",
	"Let me answer the question directly.",
	"We have invested heavily in our trust and safety teams.",
	"We would welcome the opportunity to brief committee staff.",
	"I am not in a position to speak to individual employees.",
	"We will get back to you in writing.",
	"Senator, I would not want to speculate.",
}

var memberTemplates = []string{
	"Thank you. Without objection, the documents will be entered into the record.",
	"My time is limited, so I will ask you to keep your answers brief.",
	"Is that a yes or a no?",
	"I will take that as a no.",
	"Let me ask the question a different way.",
	"I would like that answer in writing within two weeks.",
	"That is not what I asked.",
	"Please answer the question I asked.",
	"I have heard that before, from other companies.",
	"So you do not know.",
}

var chatTemplates = []string{
	"+1",
	"agree",
	"can someone drop the doc link for {topic}?",
	"sorry, joining late",
	"audio is choppy for me",
	"{person} can you share your screen again?",
	"will send notes after",
	"is this being recorded?",
	"yes",
	"no objection",
	"who has the {system} export?",
	"link to the tracker for {topic} is in the channel",
	"thanks all",
	"I have a hard stop at the half hour",
	"can we get {person} on this?",
	"ok",
	"following up on {topic} offline",
	"same question as above",
	"noted, thanks",
	"brb",
	"sorry, was on another call, catching up",
	"is there a recording of last week's session on {topic}?",
	"can we get an owner for {topic} before we drop?",
	"{person} I think you're on mute",
	"we can hear you now",
	"I'll add {topic} to the tracker",
	"the {system} numbers for last week are in the shared drive",
	"do we have a deadline for {topic}?",
	"agree with {person}",
	"that's the version from {day}, there's a newer one",
	"can someone post the action items in the channel after?",
	"I can't open the link, can you check permissions?",
	"access requested, thanks",
	"works now",
	"I'll take the {topic} follow-up",
	"checking with my team and will confirm by {day}",
	"do we need legal on {topic}?",
	"question for later: who signs off on {topic}?",
	"the {system} dashboard is down for me, anyone else?",
	"fine for me",
	"let's use the doc rather than chat for {topic}",
	"good point",
	"sorry, dropped for a minute",
	"can we keep the chat for questions pls",
	"screen is frozen on my side",
	"thanks {person}",
}

var fillerDays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "week"}
var fillerSystems = []string{"UserVault", "Aurora-Analytics", "TrustDesk"}

// filler draws one line of ordinary talk for a meeting of the given style,
// avoiding lines the meeting has already used while it can.
func filler(r *rand.Rand, style string, topics, people []string, speaker string, used map[string]bool) string {
	bank := meetingTemplates
	switch style {
	case styleHearing:
		bank = memberTemplates
		if strings.HasPrefix(speaker, "Ms.") || strings.HasPrefix(speaker, "Mr.") {
			bank = witnessTemplates
		}
	case styleChat:
		bank = chatTemplates
	}
	t := bank[r.IntN(len(bank))]
	for try := 0; used[t] && try < 30; try++ {
		t = bank[r.IntN(len(bank))]
	}
	used[t] = true
	others := make([]string, 0, len(people))
	for _, p := range people {
		if p != speaker && !strings.HasPrefix(p, "Senator") && p != "The Chair" {
			others = append(others, firstName(p))
		}
	}
	if len(others) == 0 {
		others = []string{"the team"}
	}
	repl := strings.NewReplacer(
		"{topic}", topics[r.IntN(len(topics))],
		"{person}", others[r.IntN(len(others))],
		"{system}", fillerSystems[r.IntN(len(fillerSystems))],
		"{day}", fillerDays[r.IntN(len(fillerDays))],
	)
	return repl.Replace(t)
}

// firstName returns the name people would use in conversation. Chinese names
// are written family name first and used whole.
func firstName(full string) string {
	e, ok := byName[full]
	if !ok {
		return full
	}
	switch offices[e.Office].Country {
	case "CN":
		return full
	}
	if e.Name == "Tan Hui Min" {
		return "Hui Min"
	}
	f, _, _ := strings.Cut(full, " ")
	return f
}
