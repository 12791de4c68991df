/// The deterministic generator behind `--seed`: company `index` is the same company for a given `seedValue`
/// in every run and in both systems, so tests can create matching records over HTTP.
public enum SampleData {
    private static let companySalt: UInt64 = 0xC0
    private static let projectSalt: UInt64 = 0x9A
    private static let uuidSalt: UInt64 = 0x1D

    public static func company(index: Int, seedValue: UInt64 = 1) -> SampleCompany {
        var random = SplitMix64(seed: seedValue, stream: companySalt, UInt64(index))
        let country = pickCountry(&random)
        let prefix = random.pick(WordLists.companyPrefixes)
        let suffix = random.pick(WordLists.companySuffixes)
        let legalForm = random.pick(country.legalForms)
        let city = random.pick(country.cities)
        let streetName = random.pick(country.streets)
        let houseNumber = random.int(in: 1...180)
        let domainWords = WordLists.ascii(prefix) + WordLists.ascii(suffix)
        let domain = domainWords.lowercased() + "." + country.topLevelDomain
        let organizationNumber = organizationNumber(index: index, seedValue: seedValue)
        let grouped = random.chance(1.0 / 3.0)
        let emailLocal = random.pick(WordLists.emailLocalParts)
        let emailDomain = random.chance(0.5) ? domainWords + "." + country.topLevelDomain : domain
        return SampleCompany(
            index: index,
            name: "\(prefix) \(suffix) \(legalForm)",
            organizationNumber: organizationNumber,
            erpOrganizationNumber: grouped ? groupedOrganizationNumber(organizationNumber) : organizationNumber,
            customerNumber: "C-\(100_000 + index)",
            email: (random.chance(0.7) ? emailLocal : emailLocal.lowercased()) + "@" + emailDomain,
            phone: fill(country.phonePattern, &random),
            website: random.chance(0.6) ? "www." + domain : "https://" + domain,
            street: country.houseNumberFirst ? "\(houseNumber) \(streetName)" : "\(streetName) \(houseNumber)",
            postalCode: random.pick(city.postalCodes),
            city: city.name,
            countryCode: country.alpha2,
            countryAlpha3: CountryCodes.alpha2ToAlpha3[country.alpha2] ?? country.alpha2,
            isActive: !random.chance(0.07)
        )
    }

    /// Companies `offset ..< offset + count`.
    public static func companies(count: Int, offset: Int = 0, seedValue: UInt64 = 1) -> [SampleCompany] {
        (offset..<(offset + count)).map { company(index: $0, seedValue: seedValue) }
    }

    /// How many projects `system` seeds for company `companyIndex` (1 to 3, about 2 on average).
    public static func projectCount(companyIndex: Int, seedValue: UInt64 = 1, system: ReferenceSystemKind = .erp) -> Int {
        var random = SplitMix64(seed: seedValue, stream: projectSalt, kindSalt(system), UInt64(companyIndex), 0xFFFF)
        return random.int(in: 1...3)
    }

    /// Project `projectIndex` of company `companyIndex` as `system` seeds it. The ERP and the PMS seed
    /// different projects (the PMS with its own `PMS-nnnn` codes), as two independent systems would.
    public static func project(companyIndex: Int, projectIndex: Int, seedValue: UInt64 = 1, system: ReferenceSystemKind = .erp) -> SampleProject {
        var random = SplitMix64(seed: seedValue, stream: projectSalt, kindSalt(system), UInt64(companyIndex), UInt64(projectIndex))
        let ordinal = companyIndex * 3 + projectIndex + 1
        let start = CalendarDate(daysSinceEpoch: 20089 + Int64(random.int(in: 0...900)))
        let end: CalendarDate? = random.chance(0.85) ? start.adding(days: Int64(random.int(in: 30...420))) : nil
        let statusRoll = random.nextUnit()
        let status = statusRoll < 0.30 ? "PLANNED" : statusRoll < 0.75 ? "ACTIVE" : statusRoll < 0.85 ? "ON_HOLD" : "COMPLETED"
        let roundBudget = random.chance(0.4)
        let cents = roundBudget ? Int64(random.int(in: 5...2500)) * 100_000 : Int64(random.int(in: 500_000...250_000_000))
        let first = random.pick(WordLists.firstNames)
        let last = random.pick(WordLists.lastNames)
        let manager = WordLists.ascii(first) + "." + WordLists.ascii(last) + "@Consulto.no"
        return SampleProject(
            companyIndex: companyIndex,
            projectIndex: projectIndex,
            projectNumber: "P-\(start.year)-\(pad(ordinal, 4))",
            code: "PMS-\(pad(ordinal, 4))",
            name: "\(random.pick(WordLists.projectAreas)) \(random.pick(WordLists.projectKinds))",
            description: "\(random.pick(WordLists.descriptionOpeners)) \(random.pick(WordLists.descriptionTopics)).",
            startDate: start.text,
            endDate: end?.text,
            status: status,
            budgetCents: cents,
            managerEmail: random.chance(0.5) ? manager : manager.lowercased(),
            isActive: status != "COMPLETED" || random.chance(0.3)
        )
    }

    /// All projects `system` seeds for company `companyIndex`.
    public static func projects(companyIndex: Int, seedValue: UInt64 = 1, system: ReferenceSystemKind = .erp) -> [SampleProject] {
        (0..<projectCount(companyIndex: companyIndex, seedValue: seedValue, system: system)).map {
            project(companyIndex: companyIndex, projectIndex: $0, seedValue: seedValue, system: system)
        }
    }

    /// Nine digits starting with 8 or 9, distinct for every index below 200,000,000 (the multiplier is coprime to the range).
    static func organizationNumber(index: Int, seedValue: UInt64) -> String {
        let range: UInt64 = 200_000_000
        var random = SplitMix64(seed: seedValue, stream: companySalt, 0x0B)
        let shift = random.next() % range
        return String(800_000_000 + (UInt64(index) &* 73_939_133 &+ shift) % range)
    }

    /// A deterministic lower-case version-4 UUID for seeded PMS records.
    static func uuid(seedValue: UInt64, stream: UInt64...) -> String {
        var random = SplitMix64(seed: seedValue, stream: uuidSalt)
        for value in stream { random = SplitMix64(seed: random.next() ^ value) }
        let high = (random.next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (random.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let hex = hex16(high) + hex16(low)
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }

    private static func hex16(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    private static func kindSalt(_ system: ReferenceSystemKind) -> UInt64 {
        system == .erp ? 0xE1 : 0xB2
    }

    private static func pickCountry(_ random: inout SplitMix64) -> WordLists.Country {
        var roll = random.int(in: 0...(WordLists.totalCountryWeight - 1))
        for country in WordLists.countries {
            if roll < country.weight { return country }
            roll -= country.weight
        }
        return WordLists.countries[0]
    }

    private static func groupedOrganizationNumber(_ digits: String) -> String {
        let characters = Array(digits)
        return "\(String(characters[0..<3])) \(String(characters[3..<6])) \(String(characters[6..<9]))"
    }

    private static func fill(_ pattern: String, _ random: inout SplitMix64) -> String {
        String(pattern.map { $0 == "#" ? Character(String(random.int(in: 0...9))) : $0 })
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
