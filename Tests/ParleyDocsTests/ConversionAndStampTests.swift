import ParleyCore
import ParleyDocs
import Testing

/// Type cells for every schema type and conversion, and the "Generated:" stamp.
@Suite struct ConversionAndStampTests {
    @Test func typeCellsForEachSchemaTypeAndConversion() throws {
        let mappings: [(PropertyType, Conversion, String)] = [
            (.string, .none, "\"string\""), (.integer, .none, "\"integer\""), (.float, .none, "\"float\""),
            (.decimal, .none, "\"decimal\""), (.boolean, .negate, "\"boolean\" (negated)"), (.date, .none, "\"date\""),
            (.datetime, .none, "\"datetime\""), (.string, .countryAlpha2ToAlpha3, "\"string\" (alpha-2 ↔ alpha-3)"),
            (.integer, .scale(power: 3), "\"integer\" (× 1000, rounded)"), (.decimal, .scale(power: 2), "\"decimal\" (× 100)"),
        ]
        for (type, conversion, expected) in mappings {
            // A schema-less target: the type comes from the mapping.
            let flow = Fixtures.contacts(properties: [
                PropertyMapping(left: "name", right: "untyped", leftType: .string, rightType: type, conversion: conversion),
            ])
            let document = Fixtures.docs([flow]).document(for: Fixtures.crmToShop, generated: "2024-10-28 00:00:00")
            #expect(Fixtures.tables(document.sections.last).last?.rows == [["name", "untyped", expected]])
        }
    }

    @Test func enumMapsListInTheSourceSchemasOrderBothWays() throws {
        let flow = Fixtures.contacts(properties: [
            PropertyMapping(
                left: "source", right: "tier", leftType: .string, rightType: .enum,
                conversion: .enumMap(["VIP": "gold", "STANDARD": "basic", "ALPHA": "basic"])),
        ])
        let docs = Fixtures.docs([flow])
        let forward = docs.document(for: Fixtures.crmToShop, generated: "2024-10-28 00:00:00")
        #expect(Fixtures.tables(forward.sections.last).last?.rows == [
            ["source", "tier", "\"string\" (one of: gold, basic; enum map ALPHA→basic, STANDARD→basic, VIP→gold)"],
        ])
        let reverse = docs.document(for: Fixtures.shopToCRM, generated: "2024-10-28 00:00:00")
        #expect(Fixtures.tables(reverse.sections.last).last?.rows == [
            ["tier", "source", "\"string\" (enum map gold→VIP, basic→ALPHA, basic→STANDARD)"],
        ])
    }

    @Test func generatedStampFormatsAndParsesUTC() {
        #expect(GeneratedStamp.format(epochSeconds: 0) == "1970-01-01 00:00:00")
        #expect(GeneratedStamp.format(epochSeconds: 1_730_073_600) == "2024-10-28 00:00:00")
        #expect(GeneratedStamp.parse("2024-10-28") == "2024-10-28 00:00:00")
        #expect(GeneratedStamp.parse("2024-10-28 13:05:09") == "2024-10-28 13:05:09")
        #expect(GeneratedStamp.parse("2024-10-28T13:05:09") == "2024-10-28 13:05:09")
        #expect(GeneratedStamp.parse("2024-10-28T13:05:09+02:00") == "2024-10-28 11:05:09")
        #expect(GeneratedStamp.parse("2024-02-30") == nil)
        #expect(GeneratedStamp.parse("yesterday") == nil)
    }
}
