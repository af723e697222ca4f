package casefile

import (
	"context"

	"casebook/store"
)

// Speaker is an entry of the case's speaker registry: a label as written in
// the transcripts, the person it was merged into, role, office and count.
type Speaker = store.Speaker

// Speakers lists the speaker registry.
func (c *Case) Speakers(ctx context.Context) ([]Speaker, error) { return c.store.Speakers(ctx) }

// MergeSpeaker records that a speaker label ("Speaker 2", "MIA") is person:
// a search for the person then finds the label's segments, which keep the
// label as the transcript wrote it. The merge is audited and can be undone
// with UnmergeSpeaker.
func (c *Case) MergeSpeaker(ctx context.Context, label, person string) error {
	if err := c.refuseIfReadOnly(); err != nil {
		return err
	}
	if err := c.store.MergeSpeaker(ctx, c.Investigator(ctx), label, person); err != nil {
		return err
	}
	return c.afterChange(ctx)
}

// UnmergeSpeaker makes a merged label its own speaker again.
func (c *Case) UnmergeSpeaker(ctx context.Context, label string) error {
	if err := c.refuseIfReadOnly(); err != nil {
		return err
	}
	if err := c.store.UnmergeSpeaker(ctx, c.Investigator(ctx), label); err != nil {
		return err
	}
	return c.afterChange(ctx)
}

// SetSpeakerDetails records a speaker's role and office.
func (c *Case) SetSpeakerDetails(ctx context.Context, name, role, office string) error {
	if err := c.refuseIfReadOnly(); err != nil {
		return err
	}
	return c.store.SetSpeakerDetails(ctx, c.Investigator(ctx), name, role, office)
}
