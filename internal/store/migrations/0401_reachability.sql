-- Reachability: one place decides who cannot be reached on which channel.
-- A person's address on a channel is unusable when it is missing or
-- flagged in contact_optouts (STOP, unsubscribe, bounce, invalid number,
-- spam report); a person is unreachable when no channel is usable. The
-- journey's Unreachable flag (journey_view.unreachable) is derived from
-- the people it depends on, and refreshed whenever a flag is added or
-- lifted (START) or an address changes, so it clears by itself once the
-- person can be reached again.

-- The people an open journey depends on: the student, the guardians, and
-- the supervisor of the placement (else the employer's contact), or of the
-- postings it has open applications with before a placement.
CREATE VIEW journey_people AS
SELECT j.id AS journey_id, 'student'::text AS kind, s.id AS ref,
       COALESCE(NULLIF(s.preferred_name, ''), s.first_name) || ' ' || s.last_name AS name, s.phone, s.email
  FROM journeys j JOIN students s ON s.id = j.student_id WHERE j.status = 'open'
UNION ALL
SELECT j.id, 'guardian', g.id, g.name, g.phone, g.email
  FROM journeys j JOIN guardians g ON g.student_id = j.student_id WHERE j.status = 'open'
UNION ALL
SELECT x.journey_id, 'supervisor', sv.id, sv.name, COALESCE(sv.phone, st.phone), COALESCE(sv.email, st.email)
  FROM (SELECT journey_id, supervisor_id FROM placements WHERE supervisor_id IS NOT NULL
        UNION
        SELECT a.journey_id, po.supervisor_id FROM applications a JOIN postings po ON po.id = a.posting_id
         WHERE po.supervisor_id IS NOT NULL AND a.status IN ('submitted', 'reviewing', 'interview', 'offer')
           AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.journey_id = a.journey_id)) x
  JOIN journeys j ON j.id = x.journey_id AND j.status = 'open'
  JOIN supervisors sv ON sv.id = x.supervisor_id LEFT JOIN staff st ON st.id = sv.staff_id
UNION ALL
SELECT j.id, 'employer', e.id, COALESCE(e.contact_name, e.name), e.contact_phone, e.contact_email
  FROM journeys j JOIN placements p ON p.journey_id = j.id AND p.supervisor_id IS NULL
  JOIN employers e ON e.id = p.employer_id WHERE j.status = 'open';

-- usable_address: the address exists and is not flagged on its channel.
CREATE FUNCTION usable_address(channel text, address text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT address IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM contact_optouts o WHERE o.channel = usable_address.channel AND o.address = usable_address.address)
$$;

-- journey_unreachable: someone the journey depends on has no usable channel.
CREATE FUNCTION journey_unreachable(jid uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM journey_people p WHERE p.journey_id = jid
    AND NOT usable_address('sms', p.phone) AND NOT usable_address('email', p.email))
$$;

CREATE FUNCTION refresh_journey_unreachable(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  UPDATE journey_view jv SET unreachable = journey_unreachable(jv.journey_id), updated_at = now()
   WHERE jv.journey_id = ANY(ids) AND jv.unreachable IS DISTINCT FROM journey_unreachable(jv.journey_id)
$$;

-- A flag added, changed or lifted: every journey using that address.
CREATE FUNCTION optout_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record := COALESCE(NEW, OLD);
BEGIN
  PERFORM refresh_journey_unreachable(ARRAY(SELECT DISTINCT p.journey_id FROM journey_people p
    WHERE (r.channel = 'sms' AND p.phone = r.address) OR (r.channel = 'email' AND p.email = r.address)));
  RETURN NULL;
END $$;
CREATE TRIGGER contact_optouts_changed AFTER INSERT OR UPDATE OR DELETE ON contact_optouts
  FOR EACH ROW EXECUTE FUNCTION optout_changed();

-- An address changed (a staff edit, a roster import): that person's journeys.
CREATE FUNCTION contact_address_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_journey_unreachable(ARRAY(SELECT DISTINCT p.journey_id FROM journey_people p
    WHERE p.ref = NEW.id AND p.kind = CASE TG_TABLE_NAME WHEN 'students' THEN 'student' WHEN 'guardians' THEN 'guardian'
      WHEN 'supervisors' THEN 'supervisor' ELSE 'employer' END));
  RETURN NULL;
END $$;
CREATE TRIGGER students_address_changed AFTER UPDATE OF phone, email ON students FOR EACH ROW
  WHEN (OLD.phone IS DISTINCT FROM NEW.phone OR OLD.email IS DISTINCT FROM NEW.email)
  EXECUTE FUNCTION contact_address_changed();
CREATE TRIGGER guardians_address_changed AFTER UPDATE OF phone, email ON guardians FOR EACH ROW
  WHEN (OLD.phone IS DISTINCT FROM NEW.phone OR OLD.email IS DISTINCT FROM NEW.email)
  EXECUTE FUNCTION contact_address_changed();
CREATE TRIGGER supervisors_address_changed AFTER UPDATE OF phone, email ON supervisors FOR EACH ROW
  WHEN (OLD.phone IS DISTINCT FROM NEW.phone OR OLD.email IS DISTINCT FROM NEW.email)
  EXECUTE FUNCTION contact_address_changed();
CREATE TRIGGER employers_address_changed AFTER UPDATE OF contact_phone, contact_email ON employers FOR EACH ROW
  WHEN (OLD.contact_phone IS DISTINCT FROM NEW.contact_phone OR OLD.contact_email IS DISTINCT FROM NEW.contact_email)
  EXECUTE FUNCTION contact_address_changed();

-- Looking up who uses an address that was flagged.
CREATE INDEX IF NOT EXISTS reach_students_email ON students(email) WHERE email IS NOT NULL;
CREATE INDEX IF NOT EXISTS reach_guardians_email ON guardians(email) WHERE email IS NOT NULL;
CREATE INDEX IF NOT EXISTS reach_placements_supervisor ON placements(supervisor_id) WHERE supervisor_id IS NOT NULL;
