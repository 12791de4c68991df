import Testing
@testable import ParleyReference

@Suite struct DecimalTextTests {
    @Test(arguments: [
        ("1234.565", "1234.57"), ("1234.564", "1234.56"), ("0.005", "0.01"), ("0.004", "0.00"),
        ("-0.005", "-0.01"), ("-0.004", "0.00"), ("99.995", "100.00"), ("10", "10.00"), ("1e3", "1000.00"),
        ("1.2345E2", "123.45"), ("5e-3", "0.01"), ("0.1", "0.10"), ("125000.5", "125000.50"), ("-0", "0.00"),
        ("9999999999999.994", "9999999999999.99"),
    ])
    func roundsHalfUpToTwoDecimals(input: String, expected: String) throws {
        #expect(try DecimalText.rounded(input, scale: 2, maximumIntegerDigits: 13) == expected)
    }

    @Test func rejectsTooManyIntegerDigits() {
        #expect(throws: DecimalText.Failure.tooLarge(maximumIntegerDigits: 13)) {
            try DecimalText.rounded("9999999999999.995", scale: 2, maximumIntegerDigits: 13)
        }
        #expect(throws: DecimalText.Failure.tooLarge(maximumIntegerDigits: 13)) {
            try DecimalText.rounded("1e20", scale: 2, maximumIntegerDigits: 13)
        }
    }

    @Test func rendersMinorUnits() {
        #expect(DecimalText.fromMinorUnits(12_500_050, scale: 2) == "125000.50")
        #expect(DecimalText.fromMinorUnits(5, scale: 2) == "0.05")
        #expect(DecimalText.fromMinorUnits(-105, scale: 2) == "-1.05")
    }
}

@Suite struct TimestampTests {
    @Test func formatsRFC3339WithMilliseconds() {
        #expect(Timestamp.rfc3339(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.rfc3339(milliseconds: 1_795_946_400_123) == "2026-11-29T10:00:00.123Z")
        #expect(Timestamp.rfc3339(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.rfc3339(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
    }

    @Test func parsesRFC3339() {
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00.123Z") == 1_795_946_400_123)
        #expect(Timestamp.parseRFC3339("2026-11-29T11:00:00.123+01:00") == 1_795_946_400_123)
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00Z") == 1_795_946_400_000)
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00.1Z") == 1_795_946_400_100)
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00.123456Z") == 1_795_946_400_123)
        #expect(Timestamp.parseRFC3339("2026-11-29 10:00:00Z") == nil)
        #expect(Timestamp.parseRFC3339("2026-02-30T10:00:00Z") == nil)
        #expect(Timestamp.parseRFC3339("2026-11-29T24:00:00Z") == nil)
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00") == nil)
    }

    @Test func validatesCalendarDates() {
        #expect(CalendarDate(parsing: "2024-02-29")?.text == "2024-02-29")
        #expect(CalendarDate(parsing: "2026-02-29") == nil)
        #expect(CalendarDate(parsing: "1900-02-29") == nil)
        #expect(CalendarDate(parsing: "2000-02-29") != nil)
        #expect(CalendarDate(parsing: "2026-13-01") == nil)
        #expect(CalendarDate(parsing: "2026-1-01") == nil)
        #expect(CalendarDate(parsing: "26-01-01") == nil)
        for days: Int64 in [-800_000, -1, 0, 59, 20089, 2_932_896] {
            #expect(CalendarDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test func knowsAllCountryCodes() {
        #expect(CountryCodes.pairs.count == 249)
        #expect(CountryCodes.alpha2ToAlpha3["NO"] == "NOR")
        #expect(CountryCodes.alpha3ToAlpha2["SWE"] == "SE")
        #expect(!CountryCodes.isAlpha2("XX"))
        #expect(!CountryCodes.isAlpha3("NO"))
    }
}
