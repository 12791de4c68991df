import ParleyCore
import Testing

@Suite("Conversions between the two systems' representations")
struct ConversionTests {
    let budget = PropertyMapping(left: "budget", right: "budget_cents", leftType: .decimal, rightType: .integer, conversion: .scale(power: 2))
    let active = PropertyMapping(left: "isActive", right: "archived", leftType: .boolean, rightType: .boolean, conversion: .negate)
    let status = PropertyMapping(
        left: "status", right: "state", leftType: .enum, rightType: .enum,
        conversion: .enumMap(["PLANNED": "planned", "ACTIVE": "in_progress", "ON_HOLD": "paused", "COMPLETED": "done"]))
    let country = PropertyMapping(left: "address.countryCode", right: "country", leftType: .string, rightType: .string, conversion: .countryAlpha2ToAlpha3)

    @Test("money: decimal <-> integer cents, exact both ways, rounded when writing cents")
    func money() throws {
        #expect(try budget.canonical(from: ["budget_cents": 1_234_567], side: .right) == .number(DecimalText("12345.67")!))
        #expect(try budget.native(.number(DecimalText("12345.67")!), for: .right) == .number("1234567"))
        #expect(try budget.native(.number(DecimalText("10.555")!), for: .right) == .number("1056"))
        #expect(try budget.native(.number(DecimalText("12345.67")!), for: .left) == .number("12345.67"))
    }

    @Test("negated booleans, enum maps and country codes in both directions")
    func mappings() throws {
        #expect(try active.canonical(from: ["archived": true], side: .right) == .bool(false))
        #expect(try active.native(.bool(true), for: .right) == .bool(false))
        #expect(try status.canonical(from: ["state": "paused"], side: .right) == .text("ON_HOLD"))
        #expect(try status.native(.text("COMPLETED"), for: .right) == .string("done"))
        #expect(try country.canonical(from: ["country": "NOR"], side: .right) == .text("NO"))
        #expect(try country.native(.text("SE"), for: .right) == .string("SWE"))
    }

    @Test("unmapped enum values and wrong types are errors naming the property")
    func errors() {
        #expect(throws: ConversionError(property: "state", message: "value 'cancelled' has no mapping (mapped: done, in_progress, paused, planned)")) {
            try status.canonical(from: ["state": "cancelled"], side: .right)
        }
        #expect(throws: ConversionError.self) { try budget.canonical(from: ["budget": "a lot"], side: .left) }
        #expect(throws: ConversionError.self) { try active.canonical(from: ["isActive": "yes"], side: .left) }
        #expect(throws: ConversionError.self) { try country.canonical(from: ["country": "XXX"], side: .right) }
    }

    @Test("missing and null both read as empty; ignoreCase compares e-mail the way the PMS stores it")
    func emptiesAndCase() throws {
        let email = PropertyMapping(left: "email", right: "contact_email", leftType: .string, rightType: .string, ignoreCase: true)
        #expect(try email.canonical(from: [:], side: .left) == .null)
        #expect(try email.canonical(from: ["email": nil], side: .left) == .null)
        #expect(email.same(.text("Post@Example.com"), .text("post@example.com")))
        #expect(!budget.same(.text("A"), .text("a")))
        #expect(email.same(.null, .text("")))
    }
}
