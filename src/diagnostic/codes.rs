//! The catalogue of diagnostic codes. Each code has a one-line title and a long explanation in
//! `codes/<CODE>.md` (printed by `bdc explain`) whose first ```bdot block is the smallest input
//! that triggers it; a test compiles every such block and checks the code is reported.
//!
//! Numbering: E01xx syntax, E02xx names and imports, E03xx types and fields, E04xx fleet rules,
//! W… warnings. Codes are stable: never renumber, only add.

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $code:literal: $title:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant),* }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written in output, e.g. `E0303`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),* }
            }

            /// One line saying what the code is about.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title),* }
            }

            /// The long explanation (markdown) with the smallest triggering input.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => include_str!(concat!("codes/", $code, ".md"))),* }
            }
        }
    };
}

codes! {
    SyntaxError = "E0101": "the parser did not expect this input";
    UnterminatedString = "E0102": "a string or block comment is not closed";
    UnclosedDelimiter = "E0103": "a bracket or brace is not closed";
    UnknownDeclKind = "E0104": "not a kind of declaration";
    InvalidEscape = "E0105": "unknown escape sequence in a string";
    NestingTooDeep = "E0106": "brackets or references nested too deeply";
    NotUtf8 = "E0107": "a source file that is not valid UTF-8";
    UnknownName = "E0201": "a name that is not declared";
    DuplicateDecl = "E0202": "two declarations with the same name";
    ImportNotFound = "E0203": "an import that names no file or standard module";
    ImportCycle = "E0204": "files that import each other";
    ReferenceCycle = "E0205": "definitions that refer to each other";
    UnknownMember = "E0206": "a module or record has no member of that name";
    TypeMismatch = "E0301": "a value of the wrong type";
    WrongUnit = "E0302": "a number with the wrong unit for its field";
    UnknownField = "E0303": "a field the declaration does not have";
    MissingField = "E0304": "a required field is missing";
    DuplicateField = "E0305": "a field set twice in one record";
    UnknownWord = "E0306": "a word that is not one of the allowed choices";
    OutOfRange = "E0307": "a number outside the allowed range";
    BadImage = "E0308": "a malformed container image reference";
    ConflictingFields = "E0309": "fields that exclude each other, or none of a required pair";
    BadDomain = "E0310": "a malformed domain name";
    BadInterpolation = "E0311": "a value that cannot be put inside a string";
    BadEgress = "E0312": "a malformed egress destination";
    RequestAboveLimit = "E0401": "a resource request above its limit";
    BadReplicaRange = "E0402": "an autoscaling range that cannot work";
    DuplicateDomain = "E0403": "two partners claim the same domain";
    BadNamespaceName = "E0404": "a partner namespace that is not a valid DNS-1123 label";
    BadCanarySteps = "E0405": "canary weights that do not rise strictly to at most 100%";
    ChannelWithoutRelease = "E0406": "a channel that partners follow and no release is on";
    InlineSecret = "E0407": "a secret value written inline";
    UnknownRelease = "E0408": "a partner pins a release that is not declared";
    PlatformCount = "E0409": "the spec needs exactly one platform";
    QuotaTooSmall = "E0410": "a namespace quota too small for the partner's pods during a rollout";
    BadLabel = "E0411": "a label key or value Kubernetes would refuse";
    UnknownTargetKey = "E0412": "a per-target setting for a target that does not exist";
    PartnerInNoWave = "E0413": "a partner the release train would never reach";
    EmptyWave = "E0414": "a wave of a release train that selects no partner";
    UnknownPartnerInWave = "E0415": "a wave names a partner that does not exist";
    SharesOver100 = "E0416": "wave shares that add up to more than 100%";
    PartnerInTwoWaves = "E0417": "a partner named in two waves of one release";
    StrategyNeedsBackend = "E0418": "a rollout strategy the chosen backend cannot carry out";
    BadSecretName = "E0419": "a secret name Kubernetes would refuse";
    BadServiceName = "E0420": "a backing service name that cannot name objects and variables";
    ExternalWithoutHost = "E0421": "an external backing service without an endpoint";
    NoManagedOffering = "E0422": "a managed backing service on a target whose cloud offers none";
    ManagedWithoutAccount = "E0423": "a managed backing service on a target the platform gives no cloud account for";
    ConfigTooLarge = "E0430": "a partner's env over the 1 MiB a ConfigMap holds";
    BadDerivedName = "E0440": "a partner or service name too long or malformed for the objects bdc names after it";
    CloudNameRefused = "E0441": "a managed service's id, database or user name its cloud refuses";
    UnsupportedManagedVersion = "E0442": "a managed database version the cloud's operator does not offer";
    StuckRollingUpdate = "E0443": "a rolling update that may neither add nor remove a pod";
    CertificateDomain = "E0444": "a domain GKE's managed certificates do not take";
    TargetContradictsCluster = "E0445": "a partner's target is not the target of its cluster";
    UnknownImageKey = "E0446": "a pinned service image for nothing bdc runs, or of another version";
    AllowError = "E0458": "an error named in `allow`: only warnings can be accepted";
    AllowUnknown = "E0459": "`allow` names a code that does not exist";
    GitopsWithoutRepo = "E0460": "a fleet handed to Argo CD without the repository that holds its tree";
    ImportNotYaml = "E0470": "a file given to `bdc import` that is not YAML";
    ImportNotObject = "E0471": "a YAML document that is not a Kubernetes object (no kind, apiVersion or name)";
    SecretStoreIncomplete = "E0480": "a secret store without the setting its provider needs";
    SecretStoreOtherCloud = "E0481": "a secret store of another cloud than its target's";
    MutableImageTag = "W0401": "a stable release image given by tag, not digest";
    SharedVolume = "W0402": "a volume that only one node can attach, for several pods";
    CanaryByReplicas = "W0403": "canary weights approximated by replica counts";
    EndpointNotExported = "W0404": "a managed service whose endpoint the cloud's operator does not export";
    BareCpuCount = "W0405": "a CPU amount without a unit, far more cores than meant";
    TinySize = "W0406": "a memory or volume size too small to be meant";
    SubSecondDuration = "W0407": "a duration the cluster rounds down to whole seconds";
    PrivilegedPort = "W0408": "a web port below 1024 that the non-root container cannot bind";
    OtherTarget = "W0409": "a partner that another target cannot take as written";
    UnusedCluster = "W0410": "a declared cluster no partner runs on";
    FloatingServiceImage = "W0411": "a database, cache or proxy image given by tag, not digest";
    UnusedAllow = "W0415": "a `// bdc: allow` comment that silences nothing";
    NativeMoveUnderGitops = "W0420": "a native blue/green or canary that a GitOps engine would undo";
    ImportUnknownKind = "W0425": "an object `bdc import` has no equivalent for (skipped, listed in the report)";
    ImportSecretValues = "W0426": "a Secret's values given to `bdc import` (only its name is kept)";
}

impl Code {
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// Looks a code up by its text, case-insensitively (`e0303` works).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
