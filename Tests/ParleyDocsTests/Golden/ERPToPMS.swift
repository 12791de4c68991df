extension Golden {
    /// `parley docs --format rst --from erp --to pms --generated 2024-10-28` for the default
    /// configuration against the bundled reference systems' schemas.
    static let erpToPMS = """
        =================================
        Custom ERP to Custom PMS Dataflow
        =================================

        Generated: 2024-10-28 00:00:00

        Introduction
        ------------

        This document describes the Parley dataflow from Custom ERP to Custom PMS: for each flow, how records are matched and linked, when they are created, how deletes and conflicts are handled, and which properties are synchronized, with their types and conversions.

        It is a QA checklist for testing, generated from Parley's configuration and the systems' schemas; ``parley verify`` checks it against the live systems.

        Custom ERP Customer to Custom PMS Customer
        ------------------------------------------

        Every Custom ERP Customer will be synchronized with a Custom PMS Customer.

        A Custom ERP Customer will merge with a Custom PMS Customer if one of the following property combinations match:

        .. list-table::
           :header-rows: 1

           * - Custom ERP Customer Property
             - Custom PMS Customer Property
             - Normalization
           * - organizationNumber
             - org_no
             - digits only
           * - customerNumber
             - erp_number
             - trimmed, case-insensitive

        Exactly one match links the two records; if several match, none is merged and the Custom ERP Customer is held as ambiguous for review; if none matches, a new Custom PMS Customer is created.

        Once a link between a Custom ERP Customer and a Custom PMS Customer is established, it will keep in sync between the two systems, regardless of where it is edited.

        When a Custom ERP Customer is deleted, the linked Custom PMS Customer is archived: ``archived`` is set to ``true``.

        When the same property is changed in both systems, the newest change wins by the systems' change markers (``lastModified`` in the Custom ERP, ``updated_at`` in the Custom PMS); ties go to the Custom ERP.

        The following properties are synchronized between a Custom ERP Customer and a Custom PMS Customer:

        .. list-table::
           :header-rows: 1

           * - Custom ERP Customer Property
             - Custom PMS Customer Property
             - Custom PMS Data Type
           * - name
             - display_name
             - "string"
           * - organizationNumber
             - org_no
             - "string"
           * - customerNumber
             - erp_number
             - "string"
           * - email
             - contact_email
             - "string" (compared ignoring case)
           * - phone
             - contact_phone
             - "string"
           * - website
             - homepage
             - "string"
           * - address.street
             - street_address
             - "string"
           * - address.postalCode
             - postal_code
             - "string"
           * - address.city
             - city
             - "string"
           * - address.countryCode
             - country
             - "string" (alpha-2 ↔ alpha-3)
           * - isActive
             - archived
             - "boolean" (negated)

        Custom ERP Project to Custom PMS Project
        ----------------------------------------

        Every Custom ERP Project will be synchronized with a Custom PMS Project.

        A Custom ERP Project will merge with a Custom PMS Project if the following property combination matches:

        .. list-table::
           :header-rows: 1

           * - Custom ERP Project Property
             - Custom PMS Project Property
             - Normalization
           * - projectNumber
             - code
             - trimmed

        Exactly one match links the two records; if several match, none is merged and the Custom ERP Project is held as ambiguous for review; if none matches, a new Custom PMS Project is created.

        Once a link between a Custom ERP Project and a Custom PMS Project is established, it will keep in sync between the two systems, regardless of where it is edited.

        A Custom ERP Project is created in the Custom PMS only once its Customer is linked; until then it waits (parked) and resumes automatically.

        When a Custom ERP Project is deleted, the linked Custom PMS Project is archived: ``archived`` is set to ``true``.

        When the same property is changed in both systems, the newest change wins by the systems' change markers (``lastModified`` in the Custom ERP, ``updated_at`` in the Custom PMS); ties go to the Custom ERP.

        The following properties are synchronized between a Custom ERP Project and a Custom PMS Project:

        .. list-table::
           :header-rows: 1

           * - Custom ERP Project Property
             - Custom PMS Project Property
             - Custom PMS Data Type
           * - projectNumber
             - code
             - "string"
           * - name
             - title
             - "string"
           * - description
             - summary
             - "string"
           * - customerId
             - customer_id
             - reference (Customer)
           * - startDate
             - start_on
             - "date"
           * - endDate
             - due_on
             - "date"
           * - status
             - state
             - "string" (one of: planned, in_progress, paused, done; enum map PLANNED→planned, ACTIVE→in_progress, ON_HOLD→paused, COMPLETED→done)
           * - budget
             - budget_cents
             - "integer" (× 100, rounded)
           * - projectManagerEmail
             - lead_email
             - "string" (compared ignoring case)

        """
}
