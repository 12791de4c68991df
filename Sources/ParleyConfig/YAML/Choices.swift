import ParleyCore

/// The accepted values of the configuration's enumerated keys, in the order they are listed in messages.
enum Choices {
    static let directions: [FlowDirection] = [.both, .leftToRight, .rightToLeft]
    static let onboarding: [OnboardingMode] = [.all, .newOnly]
    static let deletes: [DeleteMode] = DeleteMode.allCases
    static let normalizations: [KeyNormalization] = KeyNormalization.allCases
    static let types: [PropertyType] = PropertyType.allCases
}
