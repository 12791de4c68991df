/// Small configurations for rule tests, with known line numbers.
enum Configs {
    /// Lines 1–10; a customers flow that resolves. Extra lines start at line 11.
    static func customers(_ lines: String...) -> String {
        customersBase + lines.map { $0 + "\n" }.joined()
    }

    /// The customers flow (lines 1–10) and a projects flow (lines 11–17); extra lines start at line 18.
    static func projects(_ lines: String...) -> String {
        customersBase + projectsBase + lines.map { $0 + "\n" }.joined()
    }

    static let customersBase = """
        systems:
          erp: {connector: contract, url: "http://erp.example"}
          pms: {connector: contract, url: "http://pms.example"}
        flows:
          - name: customers
            left: erp.customer
            right: pms.customer
            properties:
              - {erp: name, pms: display_name}
              - {erp: customerNumber, pms: erp_number}

        """

    static let projectsBase = """
          - name: projects
            left: erp.project
            right: pms.project
            properties:
              - {erp: projectNumber, pms: code}
              - {erp: name, pms: title}
              - {erp: customerId, pms: customer_id, reference: customers}

        """
}
