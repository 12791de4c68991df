import ArgumentParser
import Foundation
import Logging

struct ConfigOption: ParsableArguments {
    @Option(name: .shortAndLong, help: "The configuration file.")
    var config: String = "parley.yaml"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    func logger(_ label: String = "parley") -> Logger {
        LoggingSetup.bootstrapOnce()
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        return logger
    }
}

enum LoggingSetup {
    static let once: Void = {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
    }()

    static func bootstrapOnce() { _ = once }
}

/// Prints an error the way a user can act on it and exits non-zero.
func fail(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    return ExitCode.failure
}
