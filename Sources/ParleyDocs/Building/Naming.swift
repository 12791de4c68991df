import ParleyCore

/// How systems and datatypes are named in prose: "Custom ERP", "Custom ERP Customer".
struct Naming: Sendable {
    var titles: [String: String]
    var schemas: [String: SystemSchema]

    /// The configured title, else the name the system gives itself in `/schema`, else its key.
    func system(_ name: String) -> String {
        if let title = titles[name], !title.isEmpty { return title }
        if let schemaName = schemas[name]?.name, !schemaName.isEmpty { return schemaName }
        return name
    }

    func datatype(_ ref: DatatypeRef) -> String { "\(system(ref.system)) \(Self.capitalized(ref.datatype))" }

    /// `customer` -> `Customer`, `sales_order` -> `Sales Order`.
    static func capitalized(_ datatype: String) -> String {
        datatype.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == " " })
            .map { word in word.prefix(1).uppercased() + word.dropFirst() }
            .joined(separator: " ")
    }

    /// "a Custom ERP Customer", "an Acme ERP Customer".
    static func withArticle(_ noun: String) -> String {
        let vowels: Set<Character> = ["A", "E", "I", "O", "U", "a", "e", "i", "o", "u"]
        guard let first = noun.first else { return noun }
        return (vowels.contains(first) ? "an " : "a ") + noun
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }
}
