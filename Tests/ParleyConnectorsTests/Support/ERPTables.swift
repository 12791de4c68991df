/// The in-house ERP's tables (the same data as the bundled Custom ERP, stored the way a database
/// application would), and the `connector: sql` configuration describing them.
enum ERPTables {
    static let postgres = """
        CREATE TABLE customers (
            id SERIAL PRIMARY KEY,
            customer_number TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            org_no TEXT, email TEXT, phone TEXT, website TEXT, street TEXT, postal_code TEXT, city TEXT, country_code TEXT,
            is_active BOOLEAN NOT NULL DEFAULT TRUE,
            updated_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            deleted_at TIMESTAMPTZ
        );
        CREATE TABLE projects (
            id SERIAL PRIMARY KEY,
            project_number TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            description TEXT,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            start_date DATE, end_date DATE,
            status TEXT NOT NULL DEFAULT 'PLANNED',
            budget NUMERIC(15, 2),
            pm_email TEXT,
            is_active BOOLEAN NOT NULL DEFAULT TRUE,
            updated_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            parley_key TEXT UNIQUE
        );
        """

    /// Customers have no change marker (full scan, hard deletes); projects keep an RFC 3339 text marker.
    static let sqlite = """
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            customer_number TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            org_no TEXT, email TEXT, phone TEXT, website TEXT, street TEXT, postal_code TEXT, city TEXT, country_code TEXT,
            is_active BOOLEAN NOT NULL DEFAULT 1
        );
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project_number TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            description TEXT,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            start_date TEXT, end_date TEXT,
            status TEXT NOT NULL DEFAULT 'PLANNED',
            budget NUMERIC,
            pm_email TEXT,
            is_active BOOLEAN NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        """

    /// The `systems:` section of an ERP in the SQLite file `erp.sqlite` (customers full-scanned) and the Custom PMS
    /// at `${PMS_URL}`.
    static let sqliteERPAndReferencePMS = """
        systems:
          erp:
            connector: sql
            driver: sqlite
            path: erp.sqlite
        \(datatypes(customerMarker: false, softDelete: false))
          pms:
            connector: contract
            url: ${PMS_URL}
        """

    static let sqliteClock = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

    /// The properties of the Custom ERP's datatypes, mapped to the columns above.
    static func datatypes(customerMarker: Bool, softDelete: Bool) -> String {
        """
            datatypes:
              customer:
                table: customers
                id: {column: id, type: integer}
        \(customerMarker ? "        changeMarker: {column: updated_at, type: datetime}\n" : "")\
        \(softDelete ? "        softDelete: {column: deleted_at, type: datetime}\n" : "")\
                properties:
                  customerNumber: {type: string, required: true, column: customer_number}
                  name: {type: string, required: true}
                  organizationNumber: {type: string, column: org_no}
                  email: string
                  phone: string
                  website: string
                  address.street: {type: string, column: street}
                  address.postalCode: {type: string, column: postal_code}
                  address.city: {type: string, column: city}
                  address.countryCode: {type: string, column: country_code}
                  isActive: {type: boolean, column: is_active}
              project:
                table: projects
                changeMarker: {column: updated_at, type: datetime}
                properties:
                  projectNumber: {type: string, required: true, column: project_number}
                  name: {type: string, required: true}
                  description: string
                  customerId: {type: reference, references: customer, required: true, column: customer_id}
                  startDate: {type: date, column: start_date}
                  endDate: {type: date, column: end_date}
                  status: {type: enum, values: [PLANNED, ACTIVE, ON_HOLD, COMPLETED]}
                  budget: decimal
                  projectManagerEmail: {type: string, column: pm_email}
                  isActive: {type: boolean, column: is_active}
        """
    }
}
