-- A contact has at most one open application (models.OpenStatuses): Submit looks for it before it
-- inserts, and with several instances on one database two submissions can both look before either
-- inserts. The index refuses the second; Submit then finds the first and mails its link again.
-- The migration first checks that no contact already has two (openApplicationsUnique), and names
-- them if one does, rather than fail here on the index.
CREATE UNIQUE INDEX signatories_open_email ON signatories (contact_email)
    WHERE status IN ('submitted', 'pending');
