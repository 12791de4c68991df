/// A YAML node after parsing and `${VAR}` expansion, with its line: the loader's input.
struct ConfigNode: Sendable {
    enum Content: Sendable {
        /// An empty value, `~` or `null`.
        case null
        /// Text; `plain` is false for quoted and block scalars (whose text is never read as a number or boolean).
        case scalar(String, plain: Bool)
        case mapping([Entry])
        case sequence([ConfigNode])
        /// A scalar whose `${VAR}` expansion failed: already reported, so readers skip it silently.
        case invalid
    }

    struct Entry: Sendable {
        var key: String
        var keyLine: Int?
        var value: ConfigNode
    }

    var content: Content
    var line: Int?

    var isNull: Bool { if case .null = content { true } else { false } }

    var isInvalid: Bool { if case .invalid = content { true } else { false } }

    var text: String? { if case .scalar(let text, _) = content { text } else { nil } }

    /// How the node reads in an error message: `a list`, `a mapping`, `'5x'`.
    var found: String {
        switch content {
        case .null: "nothing"
        case .scalar(let text, _): "'\(text)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .invalid: "an invalid value"
        }
    }
}
