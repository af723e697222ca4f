package casefile

import (
	"context"
	"sort"

	"casebook/model"
)

// DayCount is how many events one country had on one day (UTC).
type DayCount struct {
	Day     string // YYYY-MM-DD
	Country string // "" when unknown
	N       int64
}

// Meeting is a dated transcript, for the timeline's markers.
type Meeting struct {
	SourceID string // "src-3"
	Day      string // YYYY-MM-DD
	Title    string
}

// Timeline is what the timeline view draws: events per day stacked by
// country, and the dated meetings.
type Timeline struct {
	Days     []DayCount
	Meetings []Meeting
}

// Timeline counts the case's events per day and country and lists its dated
// meetings, in date order.
func (c *Case) Timeline(ctx context.Context) (Timeline, error) {
	var tl Timeline
	days, err := c.store.EventsPerDay(ctx)
	if err != nil {
		return tl, err
	}
	for _, d := range days {
		tl.Days = append(tl.Days, DayCount{Day: d.Day, Country: d.Country, N: d.N})
	}
	srcs, err := c.store.Sources(ctx)
	if err != nil {
		return tl, err
	}
	for _, s := range srcs {
		if s.Kind == model.KindTranscript && s.Describes != "" {
			tl.Meetings = append(tl.Meetings, Meeting{SourceID: model.ItemID{Kind: model.ItemSource, N: s.ID}.String(),
				Day: s.Describes, Title: meetingName(s)})
		}
	}
	sort.SliceStable(tl.Meetings, func(i, j int) bool { return tl.Meetings[i].Day < tl.Meetings[j].Day })
	return tl, nil
}
