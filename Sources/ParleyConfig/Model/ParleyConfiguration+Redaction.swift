/// Printing a configuration (`print`, `String(describing:)`, `dump`) goes through this mirror, which hides
/// a password in a `state:` URL the way `Secret` hides tokens.
extension ParleyConfiguration: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "configPath": configPath, "configDirectory": configDirectory, "state": Self.redactingPassword(in: state),
                "pollIntervalMillis": pollIntervalMillis, "breaker": breaker, "server": server as Any, "systems": systems,
                "flows": flows,
            ],
            displayStyle: .struct
        )
    }

    /// `postgres://user:pw@host/db` → `postgres://user:***@host/db`; anything else unchanged.
    static func redactingPassword(in url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<authority.index(after: colon)]) + "***" + String(url[at...])
    }
}
