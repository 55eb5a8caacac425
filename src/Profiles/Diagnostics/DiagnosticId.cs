namespace Portcullis.Profiles.Diagnostics;

/// <summary>
/// Every diagnostic Portcullis can report. The number is the code users see (PCL + four digits) and the
/// key of docs/diagnostics.md. A retired code stays here, marked obsolete, so that it is never reused.
/// 1xxx: reading input. 2xxx: seccomp findings. 3xxx: AppArmor findings. 4xxx: conversions and operations. 5xxx: recording and running. 6xxx: registries. 9xxx: the tool itself.
/// </summary>
public enum DiagnosticId
{
    FileNotFound = 1001,
    FileTooLarge = 1002,
    FileEmpty = 1003,
    MalformedJson = 1004,
    MalformedYaml = 1005,
    WrongType = 1006,
    MissingField = 1007,
    UnknownValue = 1008,
    NumberOutOfRange = 1009,
    UnknownField = 1010,
    UnrecognizedDocument = 1011,
    DuplicateKey = 1012,
    BaseProfileNotFound = 1013,
    BaseProfileCycle = 1014,
    BaseProfileTooDeep = 1015,
    BaseProfileRemote = 1016,
    AmbiguousDocument = 1017,
    MalformedAppArmor = 1018,
    DocumentTooComplex = 1019,
    InvalidEncoding = 1020,
    FileUnreadable = 1021,

    UnknownSyscall = 2001,
    SyscallNotOnArchitecture = 2002,
    DuplicateRule = 2003,
    ContradictoryRules = 2004,
    ErrnoRetWithoutErrnoAction = 2005,
    AllowingDefaultAction = 2006,
    MissingSubArchitecture = 2007,
    EmptyNames = 2008,
    ArgumentIndexOutOfRange = 2009,
    TooManyArguments = 2010,
    NotifyWithoutListener = 2011,
    ListenerWithoutNotify = 2012,
    DuplicateArchitecture = 2013,
    NoArchitectures = 2014,
    RuleSameAsDefault = 2015,
    DuplicateArgumentIndex = 2016,
    SyscallsMissingOnArchitecture = 2017,

    AppArmorInvalidPermission = 3001,
    AppArmorInvalidPath = 3002,
    AppArmorUnknownCapability = 3003,
    AppArmorUnknownNetworkFamily = 3004,
    AppArmorInvalidName = 3005,
    AppArmorParserRejected = 3006,

    LossyConversion = 4001,
    DefaultActionsDiffer = 4002,
    ConditionsDropped = 4003,
    DockerRulesResolved = 4004,
    IncompatibleInputs = 4005,

    RecorderFailed = 5001,
    LaunchFailed = 5002,
    RecorderFallback = 5003,
    RecordingIncomplete = 5004,
    IoUringDenied = 5005,
    ProcessesLeftRunning = 5006,
    PrivilegesDropped = 5007,
    UntestedPathsNotCovered = 5008,
    NoRecording = 5009,
    TestsFailed = 5010,
    LabelsDisabled = 5011,
    AppArmorWithoutFiles = 5012,
    RecordingFailed = 5013,
    ArchitectureNotRunnable = 5014,

    RegistryFailed = 6001,

    ClusterApiFailed = 7001,

    OutputFailed = 9001,
    UsageError = 9002,
    InternalError = 9003,
}
