import Hummingbird

/// `GET|PUT /_admin/faults`: read and replace the fault settings at runtime.
struct AdminEndpoints: Sendable {
    let services: ReferenceServices

    func handle(_ request: Request, segments: [String]) async throws -> Response {
        guard segments == ["faults"] else {
            throw ReferenceError(.notFound, "no such admin resource: \(request.uri.path); use /_admin/faults")
        }
        switch request.method {
        case .get:
            return Responses.json(FaultSettingsJSON.render(await services.faults.settings))
        case .put:
            let body = try await RequestBodyReader.object(request, subject: "_admin/faults")
            let settings = try FaultSettingsJSON.parse(body)
            await services.faults.update(settings)
            services.logger.info("Fault settings changed", metadata: ["faults": "\(FaultSettingsJSON.render(settings).jsonText)"])
            return Responses.json(FaultSettingsJSON.render(settings))
        default:
            throw ReferenceError(
                .methodNotAllowed(allowed: ["GET", "PUT"]),
                "\(request.method.rawValue) is not allowed on /_admin/faults; allowed: GET, PUT"
            )
        }
    }
}

/// The JSON form of `FaultSettings` (`PUT` replaces all fields; missing fields take their defaults).
enum FaultSettingsJSON {
    static func render(_ settings: FaultSettings) -> JSONValue {
        .object([
            "latencyMs": .integer(settings.latencyMs),
            "failRate": number(settings.failRate),
            "rateLimit": settings.rateLimit.map(number) ?? .null,
            "dropWebhooks": number(settings.dropWebhooks),
            "clockOffsetMs": .integer(settings.clockOffsetMs),
            "acceptThenFailRate": number(settings.acceptThenFailRate),
            "randomSeed": .number(JSONNumber(validatedText: String(settings.randomSeed))),
        ])
    }

    static func parse(_ body: JSONObject) throws -> FaultSettings {
        let known = ["latencyMs", "failRate", "rateLimit", "dropWebhooks", "clockOffsetMs", "acceptThenFailRate", "randomSeed"]
        for key in body.keys where !known.contains(key) {
            throw invalid(key, "is not a fault setting; known settings: \(known.joined(separator: ", "))")
        }
        var settings = FaultSettings()
        settings.latencyMs = try integer(body, "latencyMs").map(Int.init) ?? 0
        settings.failRate = try double(body, "failRate") ?? 0
        settings.rateLimit = try double(body, "rateLimit")
        settings.dropWebhooks = try double(body, "dropWebhooks") ?? 0
        settings.clockOffsetMs = try integer(body, "clockOffsetMs") ?? 0
        settings.acceptThenFailRate = try double(body, "acceptThenFailRate") ?? 0
        if let seed = body["randomSeed"], !seed.isNull {
            guard let number = seed.numberValue, let value = UInt64(number.text) else {
                throw invalid("randomSeed", "must be a non-negative integer; got \(seed.jsonText)")
            }
            settings.randomSeed = value
        }
        if let problem = settings.problems.first {
            throw ReferenceError(.validationFailed, "_admin/faults: \(problem)", property: String(problem.prefix { $0 != " " }))
        }
        return settings
    }

    private static func number(_ value: Double) -> JSONValue {
        if value == value.rounded(), abs(value) < 1e15 { return .integer(Int64(value)) }
        return .number(JSONNumber(validatedText: "\(value)"))
    }

    private static func integer(_ body: JSONObject, _ key: String) throws -> Int64? {
        guard let value = body[key], !value.isNull else { return nil }
        guard let number = value.numberValue, number.isPlainInteger, let integer = number.int64Value,
              integer >= Int64(Int32.min), integer <= Int64(Int32.max) * 1000 else {
            throw invalid(key, "must be an integer; got \(value.jsonText)")
        }
        return integer
    }

    private static func double(_ body: JSONObject, _ key: String) throws -> Double? {
        guard let value = body[key], !value.isNull else { return nil }
        guard let double = value.numberValue?.doubleValue, double.isFinite else {
            throw invalid(key, "must be a number; got \(value.jsonText)")
        }
        return double
    }

    private static func invalid(_ property: String, _ expectation: String) -> ReferenceError {
        ReferenceError(.validationFailed, "_admin/faults: property '\(property)' \(expectation)", property: property)
    }
}
