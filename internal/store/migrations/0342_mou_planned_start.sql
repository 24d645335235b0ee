-- When interns are planned to start under an MOU (the program calendar's
-- first day when it is drafted), so the approver's form proposes it as the
-- implementation date instead of the day it is opened.
ALTER TABLE mous ADD COLUMN planned_start date;
