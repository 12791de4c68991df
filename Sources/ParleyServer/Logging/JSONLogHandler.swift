import Foundation
import Logging
import ParleyCore
import ParleyEngine

/// One JSON object per line on standard error (`parley run --log-format json`): time, level, label,
/// message, source location at debug and below, and the metadata. Metadata whose key names a credential
/// (token, secret, password, authorization, signature, cookie) is always written as `***`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(label: label, metadataProvider: metadataProvider) { line in FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// With a custom sink (tests).
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var object: [String: JSONValue] = [
            "time": .string(Timestamps.rfc3339(millis: SystemClock.millis())), "level": .string(event.level.rawValue),
            "label": .string(label), "message": .string(event.message.description),
        ]
        if event.level <= .debug {
            object["source"] = .string("\(event.file):\(event.line)")
        }
        if let error = event.error { object["error"] = .string("\(error)") }
        if !merged.isEmpty {
            object["metadata"] = .object(merged.reduce(into: [:]) { result, entry in result[entry.key] = Self.json(entry.value, key: entry.key) })
        }
        write(JSONValue.object(object).jsonText + "\n")
    }

    static let secretWords = ["token", "secret", "password", "authorization", "signature", "cookie"]

    static func json(_ value: Logger.MetadataValue, key: String) -> JSONValue {
        if secretWords.contains(where: { key.lowercased().contains($0) }) { return .string("***") }
        switch value {
        case .string(let s): return .string(s)
        case .stringConvertible(let c): return .string(c.description)
        case .array(let items): return .array(items.map { json($0, key: key) })
        case .dictionary(let entries): return .object(entries.reduce(into: [:]) { $0[$1.key] = json($1.value, key: $1.key) })
        }
    }
}
