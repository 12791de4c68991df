import ParleyConfig
import ParleyCore
import Testing

/// Each rule checked against the systems' schemas, with a failing example and its exact issues.
@Suite("Resolver rules")
struct ResolverRuleTests {
    @Test("the minimal configurations resolve")
    func baseline() throws {
        #expect(try Fixture.resolve(Configs.customers()).map(\.name) == ["customers"])
        #expect(try Fixture.resolve(Configs.projects()).map(\.name) == ["customers", "projects"])
    }

    @Test("a flow comes after the flows it references")
    func ordering() throws {
        let yaml = """
            systems:
              erp: {connector: contract, url: "http://erp.example"}
              pms: {connector: contract, url: "http://pms.example"}
            flows:
            """ + "\n" + Configs.projectsBase + Configs.customersBase.split(separator: "\n").dropFirst(4).joined(separator: "\n")
        let config = try Fixture.load(yaml)
        #expect(config.flows.map(\.name.value) == ["projects", "customers"])
        #expect(try resolveFlows(config, schemas: ReferenceSchemas.all).get().map(\.name) == ["customers", "projects"])
    }

    @Test("unknown datatype, with a suggestion and the system's datatypes")
    func unknownDatatype() throws {
        let yaml = Configs.customers("  - {name: tasks, left: erp.project, right: pms.tasks, direction: left-to-right, properties: [{erp: name, pms: title}]}")
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "11: flows[1].right: unknown datatype 'tasks' of pms (did you mean 'task'?); pms has: customer, project, task"
        ])
    }

    @Test("unknown property on either side, with did-you-mean")
    func unknownProperty() throws {
        let yaml = Configs.projects(
            "      - {erp: budget, pms: budgetcents, convert: {scale: 100}}",
            "      - {erp: projectManagerMail, pms: lead_email}",
            "      - {erp: description, pms: notes}"
        )
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "18: flows[1].properties[3].pms: unknown property 'budgetcents' of pms.project (did you mean 'budget_cents'?)",
            "19: flows[1].properties[4].erp: unknown property 'projectManagerMail' of erp.project (did you mean 'projectManagerEmail'?)",
            "20: flows[1].properties[5].pms: unknown property 'notes' of pms.project",
        ])
        let errors = try #require(resolveFlows(try Fixture.load(yaml), schemas: ReferenceSchemas.all).failure)
        #expect(errors.description.hasPrefix(
            "parley.yaml:18: flows[1].properties[3].pms: unknown property 'budgetcents' of pms.project (did you mean 'budget_cents'?)\n"
        ))
    }

    @Test("an archive marker's restore value: of the property's type, not the archive value; a boolean's defaults to its opposite")
    func archiveRestoreValue() throws {
        let broken = Configs.customers(
            "    deletes: archive",
            "    archive:",
            "      erp: {property: isActive, value: false, restore: maybe}",
            "      pms: {property: archived, value: true, restore: true}"
        )
        #expect(try Fixture.resolveIssueTexts(broken) == [
            "13: flows[0].archive.erp.restore: expected true or false, found 'maybe' for erp.customer.isActive (boolean)",
            "14: flows[0].archive.pms.restore: the restore value is the archive value itself (true): give the value that means \"not archived\"",
        ])
        let fine = Configs.customers(
            "    deletes: archive",
            "    archive:",
            "      erp: {property: isActive, value: false}",
            "      pms: {property: archived, value: true, restore: false}"
        )
        let flow = try #require(try Fixture.resolve(fine).first)
        #expect(flow.deletes == .archive(
            left: ArchiveMarker(property: "isActive", value: false, restoreValue: true),
            right: ArchiveMarker(property: "archived", value: true, restoreValue: false)))
    }

    @Test("a read-only property must not be written")
    func readOnly() throws {
        #expect(try Fixture.resolveIssueTexts(Configs.customers("      - {erp: id, pms: updated_at}")) == [
            "11: flows[0].properties[2].erp: erp.customer.id is read-only, but this mapping writes it (direction both); add direction: left-to-right",
            "11: flows[0].properties[2].pms: pms.customer.updated_at is read-only, but this mapping writes it (direction both); add direction: right-to-left",
        ])
        #expect(try Fixture.resolveIssueTexts(Configs.customers("      - {erp: id, pms: updated_at, direction: left-to-right}")) == [
            "11: flows[0].properties[2].pms: pms.customer.updated_at is read-only, but this mapping writes it (direction left-to-right); add direction: right-to-left"
        ])
    }

    @Test("a read-only property may be read: an ERP id copied one way into a PMS field")
    func readOnlyOneWay() throws {
        let flows = try Fixture.resolve(Configs.customers("      - {erp: id, pms: homepage, direction: left-to-right, type: {pms: integer}}"))
        #expect(flows[0].properties[2] == PropertyMapping(left: "id", right: "homepage", leftType: .integer, rightType: .integer, direction: .leftToRight))
    }

    @Test("type mismatches without a conversion")
    func typeMismatch() throws {
        let yaml = Configs.projects(
            "      - {erp: isActive, pms: start_on}",
            "      - {erp: endDate, pms: due_on}",
            "      - {erp: budget, pms: budget_cents}",
            "      - {erp: description, pms: archived}"
        )
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "18: flows[1].properties[3]: type mismatch: erp.project.isActive is boolean, pms.project.start_on is date",
            "21: flows[1].properties[6]: type mismatch: erp.project.description is string, pms.project.archived is boolean",
        ])
    }

    @Test("conversions need the right types: negate booleans, scale numbers, country codes strings")
    func conversionTypes() throws {
        let yaml = Configs.projects(
            "      - {erp: description, pms: summary, convert: negate}",
            "      - {erp: startDate, pms: start_on, convert: {scale: 100}}",
            "      - {erp: budget, pms: budget_cents, convert: country-alpha2-alpha3}",
            "      - {erp: isActive, pms: archived, convert: {map: {a: b}}}"
        )
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "18: flows[1].properties[3].convert: negate needs booleans on both sides: erp.project.description is string, pms.project.summary is string",
            "19: flows[1].properties[4].convert: scale needs numbers (integer, float or decimal) on both sides: erp.project.startDate is date, pms.project.start_on is date",
            "20: flows[1].properties[5].convert: country-alpha2-alpha3 needs strings on both sides: erp.project.budget is decimal, pms.project.budget_cents is integer",
            "21: flows[1].properties[6].convert: map needs enums or strings on both sides: erp.project.isActive is boolean, pms.project.archived is boolean",
        ])
    }

    @Test("ignoreCase applies to text only")
    func ignoreCase() throws {
        #expect(try Fixture.resolveIssueTexts(Configs.customers("      - {erp: isActive, pms: archived, convert: negate, ignoreCase: true}")) == [
            "11: flows[0].properties[2]: ignoreCase applies only to strings and enums: erp.customer.isActive is boolean, pms.customer.archived is boolean"
        ])
    }

    @Test("an enum and a non-enum need a map; two enums need the same values")
    func enumWithoutMap() throws {
        #expect(try Fixture.resolveIssueTexts(Configs.projects("      - {erp: status, pms: summary}")) == [
            "18: flows[1].properties[3]: an enum and a non-enum need convert: {map: {…}}: erp.project.status is enum, pms.project.summary is string"
        ])
        #expect(try Fixture.resolveIssueTexts(Configs.projects("      - {erp: status, pms: state}")) == [
            "18: flows[1].properties[3]: values of erp.project.status missing from pms.project.state: PLANNED, ACTIVE, ON_HOLD, COMPLETED; add convert: {map: {…}}",
            "18: flows[1].properties[3]: values of pms.project.state missing from erp.project.status: planned, in_progress, paused, done; add convert: {map: {…}}",
        ])
    }

    @Test("every enum value that travels must be mapped")
    func enumCoverage() throws {
        let yaml = Configs.projects("      - {erp: status, pms: state, convert: {map: {PLANNED: planned, ACTIVE: in_progress, COMPLETED: done}}}")
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "18: flows[1].properties[3].convert: values of erp.project.status without a mapping: ON_HOLD",
            "18: flows[1].properties[3].convert: values of pms.project.state that no mapping produces: paused",
        ])
        let oneWay = Configs.projects("      - {erp: status, pms: state, direction: right-to-left, convert: {map: {PLANNED: planned, ACTIVE: in_progress, COMPLETED: done}}}")
        #expect(try Fixture.resolveIssueTexts(oneWay) == [
            "18: flows[1].properties[3].convert: values of pms.project.state that no mapping produces: paused"
        ])
    }

    @Test("map keys and values must be values of the enums")
    func enumMapValues() throws {
        let yaml = Configs.projects(
            "      - erp: status",
            "        pms: state",
            "        convert:",
            "          map:",
            "            PLANNED: planned",
            "            ACTIVE: in_progress",
            "            ONHOLD: paused",
            "            ON_HOLD: paused",
            "            COMPLETED: finished"
        )
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "21: flows[1].properties[3].convert: values of pms.project.state that no mapping produces: done",
            "24: flows[1].properties[3].convert.map.ONHOLD: 'ONHOLD' is not a value of erp.project.status (did you mean 'ON_HOLD'?) (values: PLANNED, ACTIVE, ON_HOLD, COMPLETED)",
            "25: flows[1].properties[3].convert.map.ON_HOLD: 'ONHOLD' and 'ON_HOLD' both map to 'paused', so pms.project.state cannot be read back (make the property left-to-right or map them to different values)",
            "26: flows[1].properties[3].convert.map.COMPLETED: 'finished' is not a value of pms.project.state (values: planned, in_progress, paused, done)",
        ])
    }

    @Test("a one-way map may merge several values into one")
    func manyToOne() throws {
        let yaml = Configs.projects("      - {erp: status, pms: state, direction: left-to-right, convert: {map: {PLANNED: planned, ACTIVE: in_progress, ON_HOLD: in_progress, COMPLETED: done}}}")
        let flows = try Fixture.resolve(yaml)
        #expect(flows[1].properties[3].conversion == .enumMap(["PLANNED": "planned", "ACTIVE": "in_progress", "ON_HOLD": "in_progress", "COMPLETED": "done"]))
        #expect(flows[1].properties[3].direction == .leftToRight)
    }

    @Test("a required property that is not mapped into a side the flow creates records on")
    func requiredNotMapped() throws {
        let yaml = """
            systems:
              erp: {connector: contract, url: "http://erp.example"}
              pms: {connector: contract, url: "http://pms.example"}
            flows:
              - name: customers
                left: erp.customer
                right: pms.customer
                properties:
                  - {erp: name, pms: display_name}
                  - {erp: customerNumber, pms: erp_number, direction: left-to-right}
            """
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "6: flows[0].left: required property 'customerNumber' of erp.customer is not mapped, so creating records there would fail (map it, give it under defaults, or make the flow left-to-right)"
        ])
        #expect(try Fixture.resolve(yaml + "\n    direction: left-to-right").count == 1)
        let withDefault = try Fixture.resolve(yaml + "\n    defaults: {erp: {customerNumber: \"PMS-{id}\"}}")
        #expect(withDefault[0].createDefaults == [.left: ["customerNumber": "PMS-{id}"]])
    }

    @Test("a reference-typed property needs reference: <flow>")
    func referenceMissing() throws {
        let yaml = Configs.customers(
            "  - name: projects",
            "    left: erp.project",
            "    right: pms.project",
            "    properties:",
            "      - {erp: projectNumber, pms: code}",
            "      - {erp: name, pms: title}",
            "      - {erp: customerId, pms: customer_id}"
        )
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "17: flows[1].properties[2]: erp.project.customerId is a reference to erp.customer; add reference: <flow> naming the flow that links the referenced records"
        ])
    }

    @Test("a reference through a flow that does not link the referenced datatypes")
    func referenceWrongFlow() throws {
        let yaml = Configs.projects("      - {erp: description, pms: summary, reference: customers}")
            .replacingOccurrences(of: "reference: customers}\n      - {erp: description", with: "reference: projects}\n      - {erp: description")
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "17: flows[1].properties[2].reference: erp.project.customerId references erp.customer, but flow 'projects' links erp.project on the left side",
            "17: flows[1].properties[2].reference: pms.project.customer_id references pms.customer, but flow 'projects' links pms.project on the right side",
        ])
    }

    @Test("a reference through a flow whose sides are the other way round, or that links other systems")
    func referenceOrientation() throws {
        let yaml = """
            systems:
              erp: {connector: contract, url: "http://erp.example"}
              pms: {connector: contract, url: "http://pms.example"}
            flows:
              - name: clients
                left: pms.customer
                right: erp.customer
                properties:
                  - {pms: display_name, erp: name}
                  - {pms: erp_number, erp: customerNumber}
              - name: projects
                left: erp.project
                right: pms.project
                properties:
                  - {erp: projectNumber, pms: code}
                  - {erp: name, pms: title}
                  - {erp: customerId, pms: customer_id, reference: clients}
            """
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "17: flows[1].properties[2].reference: flow 'clients' has pms.customer on the left; a reference needs its sides in this flow's order (erp on the left)"
        ])
    }

    @Test("a reference cannot be converted, and needs id-typed properties")
    func referenceShape() throws {
        let yaml = Configs.projects(
            "      - {erp: startDate, pms: start_on, reference: customers}",
            "      - {erp: description, pms: summary, reference: customers, convert: {map: {a: b}}}"
        )
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "18: flows[1].properties[3].erp: a reference needs an id-typed property (reference, string or integer): erp.project.startDate is date",
            "18: flows[1].properties[3].pms: a reference needs an id-typed property (reference, string or integer): pms.project.start_on is date",
            "19: flows[1].properties[4].convert: a reference is translated through flow 'customers' and cannot also be converted",
        ])
    }

    @Test("merge criteria must name properties of the datatypes")
    func mergeProperties() throws {
        let yaml = Configs.customers("    merge:", "      - [{erp: orgNumber, pms: org_no}, {erp: name, pms: displayname}]")
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "12: flows[0].merge[0][0].erp: unknown property 'orgNumber' of erp.customer",
            "12: flows[0].merge[0][1].pms: unknown property 'displayname' of pms.customer (did you mean 'display_name'?)",
        ])
    }

    @Test("archive markers: unknown property, wrong value type, read-only property")
    func archiveMarkers() throws {
        let yaml = Configs.projects(
            "    deletes: archive",
            "    archive:",
            "      erp: {property: active, value: false}",
            "      pms: {property: archived, value: yes}",
            "  - name: tasks",
            "    left: erp.customer",
            "    right: pms.task",
            "    deletes: archive",
            "    archive: {pms: {property: updated_at, value: 0}, erp: {property: isActive, value: 0}}",
            "    properties: [{erp: name, pms: title}, {erp: id, pms: project_id, reference: projects, direction: left-to-right}]",
            "    direction: left-to-right"
        )
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "20: flows[1].archive.erp.property: unknown property 'active' of erp.project (did you mean 'isActive'?)",
            "21: flows[1].archive.pms.value: expected true or false, found 'yes' for pms.project.archived (boolean)",
            "26: flows[2].archive.erp.value: expected true or false, found 0 for erp.customer.isActive (boolean)",
            "26: flows[2].archive.pms.property: pms.task.updated_at is read-only and cannot be set as an archive marker",
        ])
    }

    @Test("archive markers and defaults take the property's type")
    func fieldValues() throws {
        let flows = try Fixture.resolve(Configs.projects(
            "    deletes: archive",
            "    archive: {erp: {property: status, value: COMPLETED}, pms: {property: budget_cents, value: 0}}",
            "    defaults:",
            "      erp: {description: 42, startDate: 2024-01-31, budget: 1.50}",
            "      pms: {state: planned, archived: false}"
        ))
        #expect(flows[1].deletes == .archive(left: ArchiveMarker(property: "status", value: "COMPLETED"), right: ArchiveMarker(property: "budget_cents", value: 0)))
        #expect(flows[1].createDefaults == [
            .left: ["description": "42", "startDate": "2024-01-31", "budget": .number("1.5")],
            .right: ["state": "planned", "archived": false],
        ])
        let bad = Configs.projects("    defaults: {pms: {state: open, due_on: 2024-02-30, summry: x, customer_id: abc}}")
        #expect(try Fixture.resolveIssueTexts(bad) == [
            "18: flows[1].defaults.pms.state: 'open' is not one of planned, in_progress, paused, done for pms.project.state (enum)",
            "18: flows[1].defaults.pms.due_on: expected a date YYYY-MM-DD, found '2024-02-30' for pms.project.due_on (date)",
            "18: flows[1].defaults.pms.summry: unknown property 'summry' of pms.project (did you mean 'summary'?)",
            "18: flows[1].defaults.pms.customer_id: a reference cannot be set to a fixed value for pms.project.customer_id (reference)",
        ])
    }

    @Test("a property's direction must agree with the flow's")
    func directions() throws {
        let yaml = Configs.customers("      - {erp: email, pms: contact_email, direction: right-to-left}", "    direction: left-to-right")
        #expect(try Fixture.resolveIssueTexts(yaml) == [
            "11: flows[0].properties[2].direction: direction right-to-left contradicts the flow's direction left-to-right"
        ])
        let flows = try Fixture.resolve(Configs.customers(
            "      - {erp: email, pms: contact_email, direction: both, owner: erp}", "    direction: left-to-right", "    priority: pms"
        ))
        #expect(flows[0].direction == .leftToRight)
        #expect(flows[0].conflict == ConflictPolicy(prioritySide: .right))
        #expect(flows[0].properties[2].direction == .leftToRight)
        #expect(flows[0].properties[2].owner == .left)
    }

    @Test("a system without a schema: types come from type:, references from the declared type")
    func schemaless() throws {
        let schemas = ["erp": ReferenceSchemas.erp]
        #expect(try Fixture.resolveIssueTexts(Configs.projects(), schemas: schemas) == [
            "9: flows[0].properties[0].pms: pms has no schema, so the type of 'display_name' is unknown; give it with type: {pms: <type>}",
            "10: flows[0].properties[1].pms: pms has no schema, so the type of 'erp_number' is unknown; give it with type: {pms: <type>}",
            "15: flows[1].properties[0].pms: pms has no schema, so the type of 'code' is unknown; give it with type: {pms: <type>}",
            "16: flows[1].properties[1].pms: pms has no schema, so the type of 'title' is unknown; give it with type: {pms: <type>}",
            "17: flows[1].properties[2].pms: pms has no schema, so the type of 'customer_id' is unknown; give it with type: {pms: <type>}",
        ])
        let typed = Configs.projects()
            .replacingOccurrences(of: "pms: display_name}", with: "pms: display_name, type: {pms: string}}")
            .replacingOccurrences(of: "pms: erp_number}", with: "pms: erp_number, type: {pms: string}}")
            .replacingOccurrences(of: "pms: code}", with: "pms: code, type: {pms: string}}")
            .replacingOccurrences(of: "pms: title}", with: "pms: title, type: {pms: string}}")
            .replacingOccurrences(of: "reference: customers}", with: "reference: customers, type: {pms: integer}}")
        let flows = try Fixture.resolve(typed, schemas: schemas)
        #expect(flows[1].properties[2] == PropertyMapping(
            left: "customerId", right: "customer_id", leftType: .reference, rightType: .reference,
            reference: ReferenceTarget(flow: "customers", leftNumeric: true, rightNumeric: true), requiredOn: [.left]
        ))
    }

    @Test("a type override replaces the schema's type")
    func typeOverride() throws {
        let flows = try Fixture.resolve(Configs.customers("      - {erp: phone, pms: contact_phone, type: {erp: integer, pms: decimal}, convert: {scale: 0.01}}"))
        #expect(flows[0].properties[2] == PropertyMapping(
            left: "phone", right: "contact_phone", leftType: .integer, rightType: .decimal, conversion: .scale(power: -2)
        ))
    }

    @Test("a hand-built configuration with unknown references and cycles is rejected too")
    func handBuilt() throws {
        var config = try Fixture.load(Configs.projects())
        config.flows[0].properties[1].reference = Located("projects", at: ConfigLocation(path: "flows[0].properties[1].reference", line: 10))
        config.flows[1].properties[0].reference = Located("nowhere", at: ConfigLocation(path: "flows[1].properties[0].reference", line: 15))
        let errors = try #require(resolveFlows(config, schemas: ReferenceSchemas.all).failure)
        #expect(errors.issues.map(\.text).filter { !$0.contains("reference needs") && !$0.contains("references") } == [
            "10: flows[0].properties[1].reference: flows reference each other in a cycle: customers → projects → customers",
            "15: flows[1].properties[0].reference: unknown flow 'nowhere'",
        ])
    }
}

extension Result {
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}
