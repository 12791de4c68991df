/// Word lists behind the generated sample data (Nordic and European flavour).
enum WordLists {
    struct City: Sendable {
        let name: String
        let postalCodes: [String]
    }

    struct Country: Sendable {
        let alpha2: String
        let legalForms: [String]
        let topLevelDomain: String
        let phonePattern: String
        let streets: [String]
        let houseNumberFirst: Bool
        let cities: [City]
        /// Relative weight when picking a country.
        let weight: Int
    }

    static let companyPrefixes = [
        "Nordlys", "Fjord", "Polar", "Aurora", "Viking", "Granitt", "Bølge", "Skog", "Fjell", "Havbris",
        "Midnattsol", "Isbre", "Lofoten", "Tinde", "Elv", "Stjerne", "Kyst", "Vinter", "Tundra", "Furu",
        "Solberg", "Lindholm", "Ekdal", "Västkust", "Norrsken", "Skärgård", "Ålands", "Sjö", "Fyr", "Hav",
        "Bjørke", "Eikeli", "Grønli", "Sølvberg", "Kobber", "Jern", "Rune", "Saga", "Hekla", "Baltic",
        "Nova", "Delta", "Atlas", "Meridian", "Zenith", "Alpin", "Rhein", "Elbe", "Hansa", "Orion",
    ]

    static let companySuffixes = [
        "Handel", "Bygg", "Energi", "Data", "Logistikk", "Maskin", "Consult", "Eiendom", "Transport", "Media",
        "Design", "Teknikk", "Industri", "Marine", "Invest", "Solutions", "Systems", "Partners", "Group", "Service",
        "Elektro", "Rør", "Trading", "Analytics", "Software", "Foods", "Fisk", "Tre", "Stål", "Bilservice",
    ]

    static let emailLocalParts = ["Post", "Info", "Faktura", "Kontakt", "Ordre", "Sales", "Invoice", "Office", "Hello", "Mail"]

    static let firstNames = [
        "Kari", "Ola", "Ingrid", "Lars", "Sofia", "Erik", "Maja", "Anders", "Sara", "Jonas",
        "Emma", "Mikael", "Aino", "Mikko", "Freja", "Rasmus", "Sigrid", "Henrik", "Liv", "Nils",
    ]

    static let lastNames = [
        "Hansen", "Johansen", "Olsen", "Larsen", "Andersson", "Johansson", "Nielsen", "Jensen", "Virtanen", "Korhonen",
        "Berg", "Lund", "Dahl", "Holm", "Strand", "Nyström", "Lindqvist", "Pedersen", "Eriksen", "Haugen",
    ]

    static let projectAreas = [
        "Website", "ERP", "Warehouse", "Payroll", "Data platform", "CRM", "Intranet", "Mobile app", "Network",
        "Office", "Fleet", "Customer portal", "E-commerce", "Reporting", "Security", "Cloud", "Billing", "Supply chain",
    ]

    static let projectKinds = [
        "redesign", "migration", "rollout", "upgrade", "integration", "audit", "automation", "modernisation",
        "implementation", "consolidation", "pilot", "support agreement",
    ]

    static let descriptionOpeners = [
        "Phase one covers", "Scope includes", "Fixed-price delivery of", "Time and materials for",
        "Customer asked for", "Follow-up to last year's work on", "Joint effort with the customer's IT team on",
    ]

    static let descriptionTopics = [
        "requirements, design and a first release", "data cleanup and cut-over", "training for key users",
        "a proof of concept and a go/no-go decision", "hardware, licences and installation", "weekly status meetings",
        "testing, documentation and hand-over",
    ]

    static let countries: [Country] = [
        Country(
            alpha2: "NO", legalForms: ["AS", "AS", "AS", "ASA"], topLevelDomain: "no", phonePattern: "+47 ### ## ###",
            streets: ["Storgata", "Kongens gate", "Dronningens gate", "Strandveien", "Industriveien", "Sjøgata", "Bryggen", "Parkveien"],
            houseNumberFirst: false,
            cities: [
                City(name: "Oslo", postalCodes: ["0150", "0151", "0250", "0484", "0661"]),
                City(name: "Bergen", postalCodes: ["5003", "5011", "5020"]),
                City(name: "Trondheim", postalCodes: ["7011", "7013", "7030"]),
                City(name: "Stavanger", postalCodes: ["4006", "4014"]),
                City(name: "Tromsø", postalCodes: ["9008", "9019"]),
                City(name: "Kristiansand", postalCodes: ["4610", "4631"]),
                City(name: "Drammen", postalCodes: ["3015", "3044"]),
                City(name: "Bodø", postalCodes: ["8006"]),
            ],
            weight: 40
        ),
        Country(
            alpha2: "SE", legalForms: ["AB"], topLevelDomain: "se", phonePattern: "+46 8 ### ## ##",
            streets: ["Drottninggatan", "Kungsgatan", "Storgatan", "Sveavägen", "Hamngatan", "Järnvägsgatan"],
            houseNumberFirst: false,
            cities: [
                City(name: "Stockholm", postalCodes: ["111 52", "113 30", "118 46"]),
                City(name: "Göteborg", postalCodes: ["411 05", "413 01"]),
                City(name: "Malmö", postalCodes: ["211 20", "214 32"]),
                City(name: "Uppsala", postalCodes: ["753 20"]),
                City(name: "Västerås", postalCodes: ["722 15"]),
                City(name: "Umeå", postalCodes: ["903 26"]),
            ],
            weight: 20
        ),
        Country(
            alpha2: "DK", legalForms: ["ApS", "A/S"], topLevelDomain: "dk", phonePattern: "+45 ## ## ## ##",
            streets: ["Vestergade", "Østergade", "Nørregade", "Strandvejen", "Havnegade", "Algade"],
            houseNumberFirst: false,
            cities: [
                City(name: "København K", postalCodes: ["1050", "1152", "1360"]),
                City(name: "Aarhus C", postalCodes: ["8000"]),
                City(name: "Odense C", postalCodes: ["5000"]),
                City(name: "Aalborg", postalCodes: ["9000"]),
            ],
            weight: 12
        ),
        Country(
            alpha2: "FI", legalForms: ["Oy", "Oyj"], topLevelDomain: "fi", phonePattern: "+358 40 ### ####",
            streets: ["Mannerheimintie", "Aleksanterinkatu", "Hämeenkatu", "Kauppakatu", "Satamakatu"],
            houseNumberFirst: false,
            cities: [
                City(name: "Helsinki", postalCodes: ["00100", "00130", "00180"]),
                City(name: "Espoo", postalCodes: ["02100"]),
                City(name: "Tampere", postalCodes: ["33100"]),
                City(name: "Turku", postalCodes: ["20100"]),
                City(name: "Oulu", postalCodes: ["90100"]),
            ],
            weight: 10
        ),
        Country(
            alpha2: "IS", legalForms: ["ehf.", "hf."], topLevelDomain: "is", phonePattern: "+354 ### ####",
            streets: ["Laugavegur", "Skólavörðustígur", "Borgartún", "Suðurlandsbraut"],
            houseNumberFirst: false,
            cities: [City(name: "Reykjavík", postalCodes: ["101", "105", "108"]), City(name: "Akureyri", postalCodes: ["600"])],
            weight: 3
        ),
        Country(
            alpha2: "DE", legalForms: ["GmbH", "AG"], topLevelDomain: "de", phonePattern: "+49 30 #######",
            streets: ["Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Hafenstraße", "Lindenallee"],
            houseNumberFirst: false,
            cities: [
                City(name: "Berlin", postalCodes: ["10115", "10178"]),
                City(name: "Hamburg", postalCodes: ["20095", "20457"]),
                City(name: "München", postalCodes: ["80331"]),
                City(name: "Köln", postalCodes: ["50667"]),
            ],
            weight: 5
        ),
        Country(
            alpha2: "NL", legalForms: ["B.V."], topLevelDomain: "nl", phonePattern: "+31 20 ### ####",
            streets: ["Keizersgracht", "Herengracht", "Coolsingel", "Oudegracht", "Stationsplein"],
            houseNumberFirst: false,
            cities: [
                City(name: "Amsterdam", postalCodes: ["1012 AB", "1016 DK"]),
                City(name: "Rotterdam", postalCodes: ["3011 AA"]),
                City(name: "Utrecht", postalCodes: ["3511 AB"]),
            ],
            weight: 3
        ),
        Country(
            alpha2: "GB", legalForms: ["Ltd"], topLevelDomain: "co.uk", phonePattern: "+44 20 #### ####",
            streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane"],
            houseNumberFirst: true,
            cities: [
                City(name: "London", postalCodes: ["EC1A 1BB", "SW1A 2AA", "E1 6AN"]),
                City(name: "Manchester", postalCodes: ["M1 1AE"]),
                City(name: "Edinburgh", postalCodes: ["EH1 1YZ"]),
            ],
            weight: 3
        ),
        Country(
            alpha2: "EE", legalForms: ["OÜ", "AS"], topLevelDomain: "ee", phonePattern: "+372 5### ####",
            streets: ["Narva maantee", "Pärnu maantee", "Viru", "Tartu maantee"],
            houseNumberFirst: false,
            cities: [City(name: "Tallinn", postalCodes: ["10111", "10145"]), City(name: "Tartu", postalCodes: ["51004"])],
            weight: 2
        ),
        Country(
            alpha2: "PL", legalForms: ["Sp. z o.o."], topLevelDomain: "pl", phonePattern: "+48 22 ### ## ##",
            streets: ["ul. Marszałkowska", "ul. Długa", "ul. Piękna", "ul. Floriańska"],
            houseNumberFirst: false,
            cities: [City(name: "Warszawa", postalCodes: ["00-001", "00-950"]), City(name: "Kraków", postalCodes: ["30-001"])],
            weight: 2
        ),
    ]

    static let totalCountryWeight = countries.reduce(0) { $0 + $1.weight }

    /// ASCII spelling for domain names and e-mail addresses.
    static func ascii(_ text: String) -> String {
        let isPlain = text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        if isPlain { return text }
        var result = ""
        for character in text {
            switch character {
            case "æ", "Æ": result += character.isUppercase ? "Ae" : "ae"
            case "ø", "ö", "ó": result += "o"
            case "Ø", "Ö", "Ó": result += "O"
            case "å", "ä", "á": result += "a"
            case "Å", "Ä", "Á": result += "A"
            case "ü", "ú": result += "u"
            case "Ü", "Ú": result += "U"
            case "ð": result += "d"
            case "é": result += "e"
            case "í": result += "i"
            case "ß": result += "ss"
            default:
                if character.isASCII, character.isLetter || character.isNumber { result.append(character) }
            }
        }
        return result
    }
}
