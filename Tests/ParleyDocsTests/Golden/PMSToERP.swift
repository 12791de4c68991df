extension Golden {
    /// `parley docs --format rst --from pms --to erp --generated 2024-10-28` for the default
    /// configuration against the bundled reference systems' schemas.
    static let pmsToERP = """
        =================================
        Custom PMS to Custom ERP Dataflow
        =================================

        Generated: 2024-10-28 00:00:00

        Introduction
        ------------

        This document describes the Parley dataflow from Custom PMS to Custom ERP: for each flow, how records are matched and linked, when they are created, how deletes and conflicts are handled, and which properties are synchronized, with their types and conversions.

        It is a QA checklist for testing, generated from Parley's configuration and the systems' schemas; ``parley verify`` checks it against the live systems.

        Custom PMS Customer to Custom ERP Customer
        ------------------------------------------

        Every Custom PMS Customer will be synchronized with a Custom ERP Customer.

        A Custom PMS Customer will merge with a Custom ERP Customer if one of the following property combinations match:

        .. list-table::
           :header-rows: 1

           * - Custom PMS Customer Property
             - Custom ERP Customer Property
             - Normalization
           * - org_no
             - organizationNumber
             - digits only
           * - erp_number
             - customerNumber
             - trimmed, case-insensitive

        Exactly one match links the two records; if several match, none is merged and the Custom PMS Customer is held as ambiguous for review; if none matches, a new Custom ERP Customer is created.

        Once a link between a Custom PMS Customer and a Custom ERP Customer is established, it will keep in sync between the two systems, regardless of where it is edited.

        When a Custom PMS Customer is deleted, the linked Custom ERP Customer is archived: ``isActive`` is set to ``false``.

        When the same property is changed in both systems, the newest change wins by the systems' change markers (``updated_at`` in the Custom PMS, ``lastModified`` in the Custom ERP); ties go to the Custom ERP.

        The following properties are synchronized between a Custom PMS Customer and a Custom ERP Customer:

        .. list-table::
           :header-rows: 1

           * - Custom PMS Customer Property
             - Custom ERP Customer Property
             - Custom ERP Data Type
           * - display_name
             - name
             - "string"
           * - org_no
             - organizationNumber
             - "string"
           * - erp_number
             - customerNumber
             - "string" (if empty on create: "PMS-{id}")
           * - contact_email
             - email
             - "string" (compared ignoring case)
           * - contact_phone
             - phone
             - "string"
           * - homepage
             - website
             - "string"
           * - street_address
             - address.street
             - "string"
           * - postal_code
             - address.postalCode
             - "string"
           * - city
             - address.city
             - "string"
           * - country
             - address.countryCode
             - "string" (alpha-2 ↔ alpha-3)
           * - archived
             - isActive
             - "boolean" (negated)

        Custom PMS Project to Custom ERP Project
        ----------------------------------------

        Every Custom PMS Project will be synchronized with a Custom ERP Project.

        A Custom PMS Project will merge with a Custom ERP Project if the following property combination matches:

        .. list-table::
           :header-rows: 1

           * - Custom PMS Project Property
             - Custom ERP Project Property
             - Normalization
           * - code
             - projectNumber
             - trimmed

        Exactly one match links the two records; if several match, none is merged and the Custom PMS Project is held as ambiguous for review; if none matches, a new Custom ERP Project is created.

        Once a link between a Custom PMS Project and a Custom ERP Project is established, it will keep in sync between the two systems, regardless of where it is edited.

        A Custom PMS Project is created in the Custom ERP only once its Customer is linked; until then it waits (parked) and resumes automatically.

        When a Custom PMS Project is deleted, the linked Custom ERP Project is archived: ``isActive`` is set to ``false``.

        When the same property is changed in both systems, the newest change wins by the systems' change markers (``updated_at`` in the Custom PMS, ``lastModified`` in the Custom ERP); ties go to the Custom ERP.

        The following properties are synchronized between a Custom PMS Project and a Custom ERP Project:

        .. list-table::
           :header-rows: 1

           * - Custom PMS Project Property
             - Custom ERP Project Property
             - Custom ERP Data Type
           * - code
             - projectNumber
             - "string"
           * - title
             - name
             - "string"
           * - summary
             - description
             - "string"
           * - customer_id
             - customerId
             - reference (Customer)
           * - start_on
             - startDate
             - "date"
           * - due_on
             - endDate
             - "date"
           * - state
             - status
             - "string" (one of: PLANNED, ACTIVE, ON_HOLD, COMPLETED; enum map planned→PLANNED, in_progress→ACTIVE, paused→ON_HOLD, done→COMPLETED)
           * - budget_cents
             - budget
             - "decimal" (÷ 100)
           * - lead_email
             - projectManagerEmail
             - "string" (compared ignoring case)

        """
}
