package journey

import "context"

// Delivery by update or signal name, for tests and scripts that drive a
// journey step by step from a table of (name, input). Pages, staff pages,
// the API and tools use the typed actions (actions.go) instead, so none of
// them knows an update name.

// Update sends the named update to a journey's workflow.
func (s *Service) Update(ctx context.Context, journeyID, name, updateID string, input any) error {
	return s.updateJourney(ctx, journeyID, name, updateID, input)
}

// UpdateWorkflow sends the named update to a workflow by id (journey, week
// or MOU).
func (s *Service) UpdateWorkflow(ctx context.Context, workflowID, name, updateID string, input any) error {
	return s.update(ctx, workflowID, name, updateID, input)
}

// UpdateWeek sends the named update to one week of a journey.
func (s *Service) UpdateWeek(ctx context.Context, journeyID, week, name, updateID string, input any) error {
	return s.updateWeek(ctx, journeyID, week, name, updateID, input)
}

// Signal sends the named signal to a journey.
func (s *Service) Signal(ctx context.Context, journeyID, name string, arg any) error {
	return s.signal(ctx, journeyID, name, arg)
}
