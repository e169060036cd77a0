//! What Berth says itself, as a code and its values rather than prose, so
//! that the window says it in the user's language. Each code is declared
//! once below with its English text; the English is written out for the
//! window (`ui/src/lib/i18n/said.en.ts`, generated with the bindings) and
//! `ko.ts` must give every code its Korean, or the front end does not type
//! check. `Display` is the English: for logs, the CLI side and tests.
//!
//! In a text, `{name}` is a value and `{n|one|other}` the word agreeing with
//! the number `n` (`#` in a form is the number). A value named `detail` is
//! the engine's, a registry's or the operating system's own words, kept
//! verbatim; the window shows it quoted.

use serde::Serialize;
use specta::Type;
use std::sync::LazyLock;

macro_rules! said {
    ($( $(#[$meta:meta])* $name:ident $({ $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? })? => $en:literal, )*) => {
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
        #[serde(tag = "code", rename_all = "camelCase", rename_all_fields = "camelCase")]
        pub enum Said {
            $( $(#[$meta])* $name $({ $($(#[$fmeta])* $field: $ty),* })?, )*
        }

        impl Said {
            /// This code's English text, before its values are filled in.
            pub fn english(&self) -> &'static str {
                match self {
                    $( Said::$name { .. } => $en, )*
                }
            }
        }

        /// Every code (as the window names it) with its English text.
        pub fn all_english() -> Vec<(String, &'static str)> {
            vec![$( (code_of(stringify!($name)), $en), )*]
        }

        /// One of every code, each value a sample, for the tests of both
        /// languages (Rust's and the window's).
        pub fn samples() -> Vec<Said> {
            vec![$( Said::$name $({ $($field: Sample::sample(stringify!($field))),* })?, )*]
        }
    };
}

/// A value to fill a sample with.
trait Sample {
    fn sample(field: &str) -> Self;
}

impl Sample for String {
    fn sample(field: &str) -> Self {
        format!("<{field}>")
    }
}

impl Sample for u32 {
    fn sample(_: &str) -> Self {
        2
    }
}

impl Sample for u64 {
    fn sample(_: &str) -> Self {
        3
    }
}

/// The wire name of a variant: `RefEmpty` is `refEmpty`.
fn code_of(variant: &str) -> String {
    let mut c = variant.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

said! {
    // Image references (I7).
    RefEmpty => "is empty: type an image name such as `busybox` or `127.0.0.1:5000/team/app:1`",
    RefSpace { input: String, char: String } => "`{input}` contains {char}: a reference has no spaces",
    RefImageId { input: String } => "`{input}` is a 64-character hex string: that is an image ID, not a name",
    RefNoNameBeforeAt { input: String } => "`{input}` has no name before `@`",
    RefNoNameBeforeColon { input: String } => "`{input}` has no name before `:`",
    RefEmptyPart { name: String } => "`{name}` has an empty part: no leading, trailing or double `/`",
    RefTooLong { name: String, len: u32, max: u32 } => "the full name `{name}` is {len} characters; the limit is {max}",
    RegistryNoPort { registry: String } => "registry `{registry}` ends with `:` but has no port",
    RegistryPortNotNumber { registry: String, port: String } => "registry `{registry}`: port `{port}` is not a number",
    RegistryNotHost { host: String } => "registry `{host}` is not a host name: letters, digits, inner `-`, parts joined by `.`",
    RepoUppercase { part: String } => "repository `{part}` must be lowercase (tags may have capitals, names may not)",
    NamePartChar { part: String, char: String } => "`{part}` contains {char}: a name part has letters a-z, digits, and `.`, `_`, `__` or `-` between them",
    NamePartEdge { part: String } => "`{part}` starts or ends with a separator: a name part has letters a-z, digits, and `.`, `_`, `__` or `-` between them",
    NamePartSeparator { part: String, separator: String } => "`{part}` has the separator `{separator}`: a name part has letters a-z, digits, and `.`, `_`, `__` or `-` between them",
    TagEmpty => "the tag after `:` is empty",
    TagTooLong { len: u32, max: u32 } => "the tag is {len} characters; the limit is {max}",
    TagChars { tag: String } => "tag `{tag}`: letters, digits, `_`, `.` and `-`, not starting with `.` or `-`",
    DigestNoColon { digest: String } => "digest `{digest}` has no `:`: a digest looks like `sha256:` and 64 hex digits",
    DigestNoAlgorithm { digest: String } => "digest `{digest}` has no algorithm before `:`",
    DigestAlgorithm { algorithm: String } => "digest algorithm `{algorithm}` is not one Docker accepts (sha256, sha384, sha512)",
    DigestLength { digest: String, len: u32, algorithm: String, want: u32 } => "digest `{digest}` has {len} hex digits; {algorithm} needs {want}",
    DigestHex { digest: String } => "digest `{digest}` must be lowercase hex digits (0-9, a-f)",
    // Published ports, `-p` (C4).
    PortSpecEmpty => "is empty: the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
    PortSpecTrailingSlash { spec: String } => "`{spec}` ends with `/`: the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
    PortProtocol { protocol: String } => "protocol `{protocol}` is not tcp, udp or sctp",
    PortSpecTooManyColons { spec: String } => "`{spec}` has too many `:`: the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
    PortSpecNoContainerPort { spec: String } => "`{spec}` has no container port: the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
    PortRangeMismatch { spec: String, host: u32, container: u32 } => "`{spec}`: the host range has {host} ports but the container range has {container}",
    Ipv6Unclosed { spec: String } => "`{spec}` opens `[` for an IPv6 address but never closes it",
    Ipv6NoColon { spec: String, address: String } => "`{spec}`: a `:` must follow `[{address}]`",
    NotAnIp { ip: String } => "`{ip}` is not an IP address; the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
    HostPortRangeBackwards { range: String } => "host port range `{range}` ends before it starts",
    ContainerPortRangeBackwards { range: String } => "container port range `{range}` ends before it starts",
    HostPortNotNumber { port: String } => "host port `{port}` is not a number",
    ContainerPortNotNumber { port: String } => "container port `{port}` is not a number",
    HostPortOutOfRange { port: String } => "host port `{port}` is out of range: ports are 1 to 65535",
    ContainerPortOutOfRange { port: String } => "container port `{port}` is out of range: ports are 1 to 65535",
    // Networks (N2).
    CidrNoPrefix { cidr: String } => "`{cidr}` has no prefix length: write it as ADDRESS/BITS, e.g. 172.30.0.0/16",
    CidrNotIp { ip: String } => "`{ip}` is not an IP address",
    CidrPrefix { len: String, max: u32 } => "prefix length `/{len}` is not 0 to {max}",
    CidrHostBits { cidr: String, len: u32, network: String } => "`{cidr}` has host bits set: the network address for /{len} is {network}",
    NetworkOnlyOne { driver: String } => "there is only one `{driver}` network, built in: containers join it with --network {driver}",
    NetworkExists { name: String, id: String } => "a network named `{name}` already exists ({id})",
    SubnetOverlap { subnet: String, other: String, network: String } => "{subnet} overlaps {other}, the subnet of network `{network}`",
    GatewayOutside { gateway: String, subnet: String } => "{gateway} is not inside {subnet}",
    GatewayNeedsSubnet => "a gateway needs a subnet to sit in",
    NetworkBuiltIn { name: String } => "`{name}` is built in: the engine needs it and refuses to remove it (it is not in use by you alone)",
    NetworkInUse { network: String, containers: String } => "network `{network}` still has containers attached: {containers}; disconnect them first",
    ConnectNotIp { ip: String } => "`{ip}` is not an IP address",
    AliasSpace { alias: String } => "`{alias}` has a space",
    // Volumes (S1).
    NotKeyValue { row: String } => "`{row}` is not KEY=VALUE",
    VolumeExists { name: String } => "a volume named `{name}` already exists",
    VolumeInUse { volume: String, users: String, count: u32 } => "volume `{volume}` is in use by {users}: remove {count|it|them} first (a stopped container still holds its volumes)",
    // Copies (F2, F3).
    AlreadyInDestination { dest: String, names: String } => "already in {dest}: {names}; nothing was copied (choose to replace them to go on)",
    // Builds (B1).
    BuildNoFolder => "pick the folder to build from",
    BuildFolderIsFile { folder: String } => "{folder} is a file; pick the folder that holds the Dockerfile",
    NoDockerfile { folder: String } => "no Dockerfile in {folder}; pick the file to build with",
    DockerfileTooBig { path: String, #[specta(type = crate::JsNumber)] size: u64 } => "{path} is {size} bytes: not a Dockerfile",
    DockerfileEmpty => "the Dockerfile has no instructions",
    NoStages { target: String } => "no stage is named {target}: this Dockerfile names none (FROM image AS name)",
    NoSuchStage { target: String, stages: String } => "no stage is named {target}; the stages are: {stages}",
    BuildTagDigest => "a build is named by a tag, not a digest",
    BuildArgNoName => "a build arg needs a name",
    BuildArgName { name: String } => "`{name}`: a name has no `=` or spaces",
    BuildArgTwice { name: String } => "{name} is given twice",
    BuildArgUnused { name: String } => "build arg {name}: no ARG {name} in the Dockerfile takes it, so the engine ignores it",
    BuildStepFailed { step: u32, text: String, detail: String } => "step {step} ({text}): {detail}",
    BuildStepLineFailed { step: u32, line: u32, text: String, detail: String } => "step {step} (line {line}, {text}): {detail}",
    BuildTargetMissing { detail: String } => "the engine could not build the target stage: {detail}",
    BuildNoImage => "the engine ended the build without naming an image",
    // Files and paths (F1..F3, L1).
    PathFailed { path: String, detail: String } => "{path}: {detail}",
    NotAFile { path: String } => "{path} is not a file",
    NotAFolder { path: String } => "{path} is not a folder",
    NotText { path: String } => "{path} is not text (UTF-8)",
    NoSuchPath { path: String } => "{path} does not exist",
    ContainerNoSuchPath { path: String, detail: String } => "{path} does not exist in the container: {detail}",
    PathNoName { path: String } => "{path} has no name",
    PathRelative { path: String } => "`{path}` is relative: a container path starts with /",
    NotRegularFile { path: String } => "{path} is not a regular file",
    ContainerPathUnreadable { path: String, detail: String } => "reading {path}: {detail}",
    EngineSentNothing { path: String } => "{path}: the engine sent nothing",
    ArchiveDamaged { detail: String } => "the archive is damaged: {detail}",
    ArchiveWriteFailed { detail: String } => "writing the archive: {detail}",
    CopyOutCancelled => "cancelled: nothing was placed in the destination",
    CopyInCancelled => "cancelled: files already sent may be in the container",
    Cancelled => "cancelled",
    ListCancelled { path: String } => "cancelled: {path} was not listed",
    SecretNeedsBuildKit => "secrets and the SSH agent need BuildKit: choose it as the builder",
    SecretIdBad { id: String } => "`{id}` is not a secret id: letters, digits, `_`, `-` and `.` only",
    SecretTwice { id: String } => "the secret `{id}` is given twice",
    SecretTooBig { path: String, #[specta(type = crate::JsNumber)] size: u64, #[specta(type = crate::JsNumber)] max: u64 } => "{path} is {size} bytes: a secret holds at most {max}",
    BuildKitMissing => "this engine has no BuildKit (Podman builds with Buildah): choose the classic builder",
    SshAgentMissing => "no SSH agent: SSH_AUTH_SOCK is not set for Berth, so `--ssh default` has nothing to forward",
    TaskFailed { detail: String } => "a background task of Berth failed: {detail}",
    // Registries (I2, I6, B4).
    RegistryUnreadable { registry: String, what: String, digest: String, detail: String } => "{registry}: the {what} {digest} cannot be read: {detail}",
    ManifestSchema1 { registry: String, image: String } => "{registry}: `{image}` is a schema 1 manifest, which Docker no longer pulls",
    NoSuchPlatform { image: String, platform: String, platforms: String } => "`{image}` has no {platform}; it has: {platforms}",
    NotInRegistry { image: String, registry: String, detail: String } => "`{image}` is not in {registry}: {detail}",
    RegistryRefused { registry: String, detail: String } => "{registry} refused: {detail}",
    RegistryWantsLogin { registry: String, image: String } => "{registry} asks for credentials to read `{image}`: log in with `docker login {registry}`",
    DigestMismatch { registry: String, image: String, detail: String } => "{registry} sent content for `{image}` that does not match its digest, so it was rejected: {detail}",
    RegistryUnreachable { registry: String, detail: String } => "could not reach the registry {registry}: {detail}",
    RegistryFailed { registry: String, detail: String } => "{registry}: {detail}",
    // What a copy out skipped or changed (F3), each naming the entry.
    SkipClimbs { path: String } => "`{path}`: skipped, it climbs out with `..`",
    SkipAbsolute { path: String } => "`{path}`: skipped, it is an absolute path",
    SkipNoName { path: String } => "`{path}`: skipped, it has no name",
    SkipUnderLink { path: String, link: String } => "`{path}`: skipped, its folder is the skipped symlink `{link}`, which is never followed",
    SkipFolderIsLink { path: String } => "`{path}`: skipped, its folder is a symlink, which is never followed",
    SkipFolderIsFile { path: String } => "`{path}`: skipped, its folder is a file",
    SkipFailed { path: String, detail: String } => "`{path}`: skipped, {detail}",
    SkipLinkNoTarget { path: String } => "`{path}`: skipped, a symlink with no target",
    SkipLinkOutside { path: String, target: String } => "`{path}`: skipped, a symlink pointing outside the copy (→ {target})",
    SkipHardlinkNoTarget { path: String } => "`{path}`: skipped, a hardlink with no target",
    SkipHardlinkOutside { path: String, target: String } => "`{path}`: skipped, a hardlink pointing outside the copy (→ {target})",
    SkipHardlinkNotFile { path: String, target: String } => "`{path}`: skipped, a hardlink to `{target}`, which is not a file of this copy",
    SkipDevice { path: String } => "`{path}`: skipped, a device file",
    SkipFifo { path: String } => "`{path}`: skipped, a FIFO (named pipe)",
    SkipKind { path: String, kind: String } => "`{path}`: skipped, an entry of type {kind}",
    ModeBitsRemoved { path: String } => "`{path}`: setuid/setgid/sticky bits removed",
    LoginServerBad { server: String } => "`{server}` is not a registry: give a host name with an optional port, such as 127.0.0.1:5000 or ghcr.io",
    LoginNoUser => "give the user name for this registry",
    LoginNoPassword => "give the password (or access token)",
    HelperNotInstalled { helper: String } => "docker-credential-{helper} is not installed here",
    NoHelperInstalled { config: String, helpers: String } => "no credential helper is set up in {config}, and none is installed: Berth never writes passwords in plain text. Install one ({helpers}) and log in again",
    ChooseHelper { config: String, helpers: String } => "no credential helper is set up in {config}: choose one to keep passwords in ({helpers})",
    LoginRefused { registry: String, detail: String } => "{registry} refused the user name or password; nothing was stored ({detail})",
    ConfigNotObject { path: String } => "{path} is not a JSON object",
    ConfigNotJson { path: String } => "{path} is not valid JSON; fix or move it first (Berth leaves it as it is)",
    NotLoggedIn { registry: String } => "not logged in to {registry}",
    PushDigest => "push a tag, not a digest",
    PushRefused { registry: String, detail: String } => "{registry} refused the push: {detail}; log in with `docker login {registry}`",
    PushNoDigest { image: String } => "the push of {image} ended without a digest",
    EngineStreamBroke { request: String, detail: String } => "{request}: {detail}",
    PlatformForm { platform: String } => "`{platform}` is not os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8",
    TagDigest => "a tag cannot carry a digest: a digest names content, a tag is a name you choose",
    ImageInUse { image: String, count: u32, users: String } => "`{image}` is used by {count|# container|# containers}: {users}. Remove {count|it|them} first.",
    // Engines and contexts (E1, E2, E5).
    HostEmpty => "is empty",
    HostUnixPath { value: String } => "a unix socket needs an absolute path, as in unix:///var/run/docker.sock (value: `{value}`)",
    HostPipePath { value: String } => "a named pipe needs a path, as in npipe:////./pipe/docker_engine (value: `{value}`)",
    HostSshHost { value: String } => "an ssh address needs a host, as in ssh://user@host (value: `{value}`)",
    HostTcpHost { value: String } => "a tcp address needs a host, as in tcp://127.0.0.1:2375 (value: `{value}`)",
    HostPort { port: String, value: String } => "port `{port}` is not a number from 1 to 65535 (value: `{value}`)",
    HostNoHostBeforePort { value: String } => "a tcp address needs a host before the port (value: `{value}`)",
    HostScheme { scheme: String, value: String } => "unknown scheme `{scheme}`; use unix://, tcp://, npipe:// or ssh:// (value: `{value}`)",
    NoHome => "no home folder to find docker's settings in: set DOCKER_CONFIG",
    ContextMissing { name: String, path: String, detail: String } => "context `{name}` not found ({path}: {detail})",
    ContextNotJson { path: String } => "{path} is not valid JSON",
    ContextNoEndpoint { name: String, path: String } => "context `{name}` has no docker endpoint in {path}",
    ContextOverridden { variable: String } => "{variable} is set, and it wins over any context (as for the docker CLI): unset it to switch",
    NoSuchContext { name: String, names: String } => "no context is named `{name}`; there are: {names}",
    ContextNamedPipe { name: String } => "{name}: named pipes exist only on Windows",
    NoSocket { path: String } => "no socket at {path}",
    NoAnswerWithin { address: String, secs: u32 } => "no answer from {address} within {secs} s",
    NamedPipesWindowsOnly => "named pipes exist only on Windows",
    NoVersionAnswer { secs: u32 } => "the engine did not answer /version within {secs} s",
    EngineAnswerUnreadable { request: String, detail: String } => "{request}: the engine's answer cannot be read: {detail}",
    NotOverThisConnection { request: String, address: String } => "{request}: not supported over {address}",
    HelperMissing { program: String, action: String } => "{program} {action}: it is not installed (not found on PATH)",
    HelperFailed { program: String, action: String, detail: String } => "{program} {action}: {detail}",
    // Names of containers, volumes and networks (C1, S1, N2).
    NameEmpty => "is empty",
    NameTooShort { name: String } => "`{name}` is too short: a name has at least 2 characters",
    NameStart { name: String } => "`{name}` must start with a letter or a digit",
    NameChar { name: String, char: String } => "`{name}` contains {char}: only letters, digits, `_`, `.` and `-` are allowed",
    // The Run dialog (C1..C5).
    CommandQuote => "has a quote that is never closed (or ends with `\\`)",
    PortsWithHostNetwork => "with network `host` the container uses the host's ports directly; remove this row",
    PortsWithNoNetwork => "with network `none` the container has no network to publish from; remove this row",
    HostPortTwice { port: String, protocol: String, row: u32 } => "host port {port}/{protocol} is already used by row {row}",
    RestartWithRm => "auto-remove (--rm) and a restart policy conflict: a container removed when it stops cannot be restarted",
    TargetEmpty => "is empty: a path inside the container, such as /data",
    TargetRelative { path: String } => "`{path}` is relative: a path inside the container starts with /",
    PathColon { path: String } => "`{path}` contains `:`, which docker reads as a separator",
    TargetRoot => "`/` cannot be a mount destination",
    TargetTwice { path: String, other: String } => "`{path}` is already a mount destination ({other})",
    HostPathEmpty => "is empty: pick a host folder",
    HostPathRelative { path: String } => "`{path}` is relative: docker needs an absolute host path (it would read `{path}` as a volume name)",
    AnonymousReadOnly => "an anonymous volume cannot be read-only: it starts empty, so give it a name",
    SizeForm { size: String } => "`{size}` is not a size: a number with an optional unit b, k, m or g (64m)",
    SizeRange { size: String } => "`{size}` is zero or too large",
    EnvNameEmpty => "is empty: a variable needs a name",
    EnvNameEquals { name: String } => "`{name}` contains `=`: the name ends where `=` starts",
    EnvNameSpace { name: String } => "`{name}` contains a space",
    EnvNameTwice { name: String, row: u32 } => "`{name}` is already set in row {row}",
    EnvFileLineName { line: u32, name: String } => "line {line}: `{name}` is not a variable name (empty or has spaces); skipped",
    EnvFileLineNoEquals { line: u32, text: String } => "line {line}: `{text}` has no `=`: docker would copy it from your shell; skipped",
    EnvFileTooBig { path: String, #[specta(type = crate::JsNumber)] size: u64 } => "{path} is {size} bytes; an env file over 1 MiB is not read",
    EnvFileNotText { path: String, #[specta(type = crate::JsNumber)] byte: u64 } => "{path} is not UTF-8 text (byte {byte})",
    PortNotPublished { port: u32, protocol: String } => "{port}/{protocol} is not published to this machine as TCP: publish it with -p HOST_PORT:{port}",
    ShellUnknown { shell: String } => "`{shell}` is not one of bash, ash, sh",
    ShellDetached => "the engine started the shell detached",
    LogStreamBroke { detail: String } => "the log stream broke: {detail}",
    CommitInstruction { word: String, allowed: String } => "`{word}` cannot be applied by commit; these can: {allowed}",
    CommitNeedsValue { word: String } => "`{word}` needs a value",
    CommitOnePerLine => "one instruction per line",
    CommitDigest => "a commit makes a tag, not a digest: drop the @sha256:... part",
    CommandMultiline => "a command spans more than one line",
    ImageNotHere { image: String, input: String } => "`{image}` is not on this machine: pull it first (docker image pull {input})",
    NameTaken { name: String, id: String, state: String, image: String } => "`{name}` is taken by container {id} ({state}, image {image}); pick another name or remove it",
    HostPortTaken { port: u32, protocol: String, container: String, id: String, image: String } => "host port {port}/{protocol} is taken by container `{container}` ({id}, image {image})",
    HostPortHeld { port: u32 } => "host port {port} is in use by a program on this machine (not a container)",
    NoSuchNetwork { network: String, networks: String } => "network `{network}` does not exist; there are: {networks}",
    // The app around the core.
    NoBrowser { url: String, detail: String } => "no browser could open {url}: {detail}",
    TerminalWriteFailed { id: u32, detail: String } => "terminal {id}: {detail}",
    TerminalClosed { id: u32 } => "terminal {id} is closed",
    SettingsFailed { detail: String } => "settings: {detail}",
    // Compose projects (P1-P6).
    ProjectEmpty => "name the compose project",
    ProjectGone { project: String } => "the compose project {project} has no containers (any more)",
    ProjectNameBad { name: String } => "`{name}` is not a project name: lowercase letters, digits, `-` and `_`, starting with a letter or digit",
    ComposeNoPath => "pick a compose file or the folder that holds one",
    ComposeNoFile { folder: String, names: String } => "no compose file in {folder} (looked for {names})",
    ComposeTooBig { path: String, #[specta(type = crate::JsNumber)] size: u64 } => "{path} is {size} bytes: not a compose file",
    ComposeInvalid { detail: String } => "the compose file does not read: {detail}",
    ComposeVariableRequired { name: String, detail: String } => "${name} must be set: {detail}",
    ComposeNoServices => "the compose file has no services",
    ComposeNoImage { service: String } => "service {service} has neither `image:` nor `build:`",
    ComposeNoTool => "no compose CLI is installed: neither `docker compose` nor `docker-compose` answers",
    ComposeNotRun { program: String, detail: String } => "{program} could not be run: {detail}",
    ComposeFailed { command: String, status: String, detail: String } => "`{command}` failed (exit code {status}): {detail}",
    ComposeCliSaid { detail: String } => "the compose CLI finds the file wrong: {detail}",
    ComposeNotSaved { line: u32, detail: String } => "not saved: the text no longer reads as YAML (line {line}): {detail}",
    // Engines over SSH (E5a).
    SshUrlBad { value: String } => "`{value}` is not an ssh address: the form is ssh://[user@]host[:port][/socket-path]",
    SshHostKeyUnknown { host: String, algorithm: String, fingerprint: String } => "{host} is not known yet: its {algorithm} key has the fingerprint {fingerprint}. Trust it only if that is the key of the machine you mean",
    SshHostKeyChanged { host: String, path: String, line: u32 } => "the host key of {host} is not the one recorded in {path} (line {line}): someone may be in between. Berth refuses; if the machine really was given a new key, remove that line yourself",
    SshKnownHostsUnreadable { path: String, detail: String } => "{path} cannot be read: {detail}",
    SshUnreachable { host: String, detail: String } => "{host} cannot be reached over SSH: {detail}",
    SshFailed { host: String, detail: String } => "SSH to {host} failed: {detail}",
    SshAuthFailed { user: String, host: String } => "{host} refused {user}'s keys (from the ssh agent and the key files): add the key to the agent, or name it with IdentityFile in ~/.ssh/config",
    SshNoDocker { host: String } => "{host} has no docker CLI: Berth runs `docker system dial-stdio` there, as the docker CLI does",
    SshRemotePermission { host: String, detail: String } => "on {host}, the SSH user may not open the engine's socket: {detail}",
    SshRemoteEngine { host: String, detail: String } => "the engine on {host} did not answer: {detail}",
    SshPassphraseNeeded { key: String, host: String } => "the key {key} is locked with a passphrase: type it to log in to {host} (Berth keeps it in memory until it quits, and never writes it)",
    SshPassphraseWrong { key: String } => "that passphrase does not open {key}",
    SshKeyUnreadable { detail: String } => "the host key cannot be trusted: {detail}",
    // Engines over TCP with TLS (E5b).
    TlsSkipVerify { name: String } => "context {name} skips checking the engine's certificate (SkipTLSVerify): Berth always checks it. Create the context again with the engine's CA",
    PlainTcpNeedsConsent { host: String } => "{host} is plain TCP without TLS: anyone who can reach that port controls the machine. Confirm that you accept this, or use TLS or SSH",
    TlsOnlyTcp { host: String } => "{host} is not a tcp:// address: certificates are for TCP with TLS only",
    TlsPairHalf { path: String } => "{path} is only half of the client's pair: give both the certificate and its key, or neither",
    TlsNoCa { path: String } => "there is no CA certificate at {path}: Berth trusts only the CA you name, as the docker CLI does with --tlsverify",
    TlsNoCertificate { path: String } => "{path} holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)",
    TlsPemBad { path: String, detail: String } => "{path} does not read as PEM: {detail}",
    TlsConfigBad { detail: String } => "the TLS certificates cannot be used: {detail}",
    TlsClientExpired { path: String, date: String } => "the client certificate {path} expired on {date}: ask whoever runs the engine for a new one",
    TlsClientNotYet { path: String, date: String } => "the client certificate {path} is valid only from {date}: check this computer's clock",
    TlsUnknownCa { address: String, ca: String } => "{address} showed a certificate that the CA in {ca} did not sign: a wrong CA file, or someone in between",
    TlsNameMismatch { address: String, host: String, detail: String } => "{address} showed a certificate that is not made out for `{host}`: connect by a name the certificate names ({detail})",
    TlsServerExpired { address: String, detail: String } => "the engine's certificate at {address} is out of its dates: {detail}",
    TlsClientRefusedExpired { address: String } => "{address} refused the client certificate: it has expired",
    TlsNeedsClientCert { address: String } => "{address} asks for a client certificate: give the certificate and its key",
    TlsClientRefused { address: String, detail: String } => "{address} refused the client certificate: {detail}",
    TlsNotDocker { address: String, detail: String } => "{address} speaks TLS but not the Docker API: its first answer began {detail}",
    TlsFailed { address: String, detail: String } => "TLS with {address} failed: {detail}",
    ContextNameBad { name: String } => "`{name}` is not a context name: letters, digits, `.`, `_`, `+` and `-`, starting with a letter or digit (and not `default`)",
    ContextExists { name: String } => "a context named `{name}` already exists",
    ContextInUse { name: String } => "`{name}` is the context in use: switch to another before removing it",
    // Swarm (E7).
    SwarmNotManager { detail: String } => "this engine is not a swarm manager: services, nodes, secrets and configs are managed on a manager ({detail})",
    SwarmChooseAddress { choices: String, detail: String } => "this machine has several addresses: choose the one the other nodes reach it by ({choices}). The engine said: {detail}",
    SwarmAddressBad { value: String } => "`{value}` is not an address: give an IP address or an interface name, with an optional :port",
    SwarmTokenBad => "a join token starts with SWMTKN-: copy it from `docker swarm join-token worker` on a manager",
    ServiceNameLong { name: String, len: u32 } => "`{name}` is {len} characters: a service name has at most 63",
    ServiceNotReplicated { name: String } => "{name} is a global service: it runs one task on every node and cannot be scaled",
    ServiceModeBad { value: String } => "`{value}` is not a mode: replicated (a number of tasks) or global (one task on every node)",
    ServiceNoPrevious { name: String } => "{name} has not been updated: there is no earlier spec to roll back to",
    ServicePortIp { spec: String } => "`{spec}` names a host address: the routing mesh listens on every node's addresses, so give PUBLISHED:TARGET",
    ServicePortRange { spec: String } => "`{spec}`: give one port, PUBLISHED:TARGET (ranges are not taken here)",
    ReplicasBad { value: String } => "`{value}` is not a number of replicas from 0 to 10000",
    DurationBad { value: String } => "`{value}` is not a duration: a number with a unit, like 10s, 1m30s or 500ms",
    FailureActionBad { value: String } => "`{value}` is not a failure action: pause, continue or rollback",
    UpdateOrderBad { value: String } => "`{value}` is not an update order: stop-first or start-first",
    SecretUnknown { name: String } => "there is no secret named `{name}`: create it first",
    SwarmObjectNameBad { name: String } => "`{name}` is not a name: up to 64 letters, digits, `-`, `_` and `.`, starting with a letter or digit",
    SwarmValueOrFile => "give the value or a file, not both",
    SwarmValueEmpty => "is empty: type the value, or pick a file to read it from",
    SwarmValueTooBig { #[specta(type = crate::JsNumber)] size: u64, #[specta(type = crate::JsNumber)] max: u64 } => "the value is {size} bytes; the engine takes at most {max}",
    SwarmObjectExists { kind: String, name: String } => "a {kind} named `{name}` already exists: its value cannot be changed, so create one with a new name",
    SwarmObjectMissing { kind: String, name: String } => "there is no {kind} named `{name}`",
    SwarmObjectInUse { kind: String, name: String, services: String } => "{kind} `{name}` is used by {services}: remove it from them (or remove them) first",
    ServiceImageUnpinned { image: String } => "{image} could not be looked up on a registry to pin its digest: each node uses its own copy of the tag, so nodes may run different versions of it",
    StackMissing { name: String } => "there is no stack named `{name}`",
    LabelBad { label: String } => "`{label}` is not a label: the form is KEY=VALUE, the key without spaces",
    LabUnreadable { detail: String } => "the lab file could not be read ({detail})",
    LabInvalid { detail: String } => "the lab file is not a lab: {detail}",
    LabIdBad { field: String } => "`{field}`: an id is lower-case letters, digits and `-`, 40 at most, and a step's is not repeated",
    LabNeedsQuestion { field: String } => "`{field}`: an answer check needs a question",
    LabNeedsCommand { field: String } => "`{field}`: a step needs at least one command",
    LabNeedsStep => "`steps`: a lab needs at least one step",
    LabNeedsBoth { field: String } => "`{field}`: both `en` and `ko` are needed",
    LabUnknownName { name: String } => "`{name}`, used in braces, is not a parameter of this lab",
    LabPathOutside { field: String } => "`{field}`: a lab's file must be inside the lab's folder",
    LabMissing { id: String } => "there is no lab `{id}`",
    LabDuplicate { id: String } => "a lab with the id `{id}` is already loaded; this file is skipped",
    LabNotRunning { name: String } => "{name} exists but is not running: start it (or run it with --detach)",
    LabNeverStarted { name: String } => "{name} was created but never started",
    LabExitedWith { name: String, exit: String } => "{name} exited with code {exit}, not 0: it failed (see its logs)",
    LabLogsLack { name: String, text: String } => "{name}'s output does not show `{text}`",
    LabPortNotPublished { name: String, container: u32 } => "{name} does not publish its port {container}: nothing on the host reaches it (EXPOSE only documents a port; -p publishes it)",
    LabPortWrongTarget { name: String, host: String, found: u32, container: u32 } => "{name} sends host port {host} to its port {found}, but the server listens on {container}",
    LabPortOtherHost { name: String, container: u32, found: String, host: String } => "{name} publishes its port {container} on host port {found}, not {host}",
    LabNotCommittedFrom { image: String, container: String } => "{image} exists but was not committed from {container}",
    LabSameImage { image: String, other: String } => "{image} is the same image as {other}: nothing changed between the builds",
    LabCopyNotLast { image: String, step: String } => "in {image}, the last step that makes a layer is `{step}`, not the COPY: a change to the page still runs the steps after it again",
    LabCacheMissed { image: String, base: String, shared: u32, lower: u32 } => "{image} shares {shared} of {base}'s {lower} lower layers: a step before the last one ran again instead of coming from the cache",
    LabNotPushed { reference: String } => "the registry does not have {reference} yet (or could not be asked)",
    LabPulledByTag { tag: String } => "{tag} is here as a tag: that is a pull by tag. Remove it and pull by digest (NAME@sha256:…)",
    LabImageMissing { image: String } => "{image} is not in the local image store: pull it first",
    LabThatIsTheDigest => "that is the repo digest (the registry's name for the manifest), not the image ID",
    LabThatIsTheId => "that is the image ID (the digest of the image's config, local), not the repo digest",
    LabAnswerShort => "type at least 12 characters of it",
    LabAnswerWrong => "that is neither the image ID nor its repo digest: look again",
    LabFilesSame { files: String } => "{files} are the same: copy each from its own container",
    LabAnonymousVolume { name: String, path: String, volume: String } => "{name} has an anonymous volume at {path}, not the volume {volume}: give the volume's name (-v {volume}:{path})",
    LabOtherVolume { name: String, path: String, found: String, volume: String } => "{name} mounts the volume {found} at {path}, not {volume}",
    LabNotAVolume { name: String, path: String, kind: String } => "{name} has a {kind} mount at {path}, not a volume",
    LabWroteToLayer { name: String, path: String } => "{name} has nothing mounted at {path}: its file went to the container's own layer, and goes when the container goes",
    LabNoMount { name: String, path: String } => "{name} has nothing mounted at {path}",
    LabHttpFailed { url: String, detail: String } => "{url} did not answer ({detail})",
    LabHttpStatus { url: String, status: u32 } => "{url} answered with status {status}",
    LabPageDiffers { url: String, path: String } => "the page at {url} is not what {path} holds now",
}

static PLURAL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"\{(\w+)\|([^|{}]*)\|([^{}]*)\}").unwrap_or_else(|_| unreachable!())
});
static VALUE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"\{(\w+)\}").unwrap_or_else(|_| unreachable!()));

/// Fills a text's values as the window does for English; an unknown name
/// stays as written.
pub fn render(text: &str, values: &serde_json::Value) -> String {
    let text = PLURAL.replace_all(text, |c: &regex::Captures| match values[&c[1]].as_u64() {
        Some(n) => {
            let form = if n == 1 { &c[2] } else { &c[3] };
            form.replace('#', &n.to_string())
        }
        None => c[0].to_string(),
    });
    VALUE
        .replace_all(&text, |c: &regex::Captures| match &values[&c[1]] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => c[0].to_string(),
            v => v.to_string(),
        })
        .into_owned()
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let values = serde_json::to_value(self).unwrap_or_default();
        f.write_str(&render(self.english(), &values))
    }
}

/// The window's English for every code, as `ui/src/lib/i18n/said.en.ts`.
pub fn english_ts() -> String {
    let mut out = String::from(
        "// Generated from crates/berth-core/src/said.rs with the bindings: do not edit.\n\
         // Berth's own sentences in English; ko.ts gives each its Korean.\n\
         export const saidEn = {\n",
    );
    for (code, text) in all_english() {
        let text = serde_json::to_string(text).unwrap_or_default();
        out.push_str(&format!("  \"said.{code}\": {text},\n"));
    }
    out.push_str("} as const;\n\n// One of every code, with sample values, for the tests.\nexport const saidSamples = ");
    out.push_str(&serde_json::to_string_pretty(&samples()).unwrap_or_default());
    out.push_str(";\n");
    out
}

/// A length as the bindings carry numbers.
pub(crate) fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed `said.en.ts` is what the codes say now.
    #[test]
    fn the_windows_english_is_generated_from_the_codes() {
        let committed = include_str!("../../../ui/src/lib/i18n/said.en.ts");
        assert!(
            committed == english_ts(),
            "ui/src/lib/i18n/said.en.ts is stale: regenerate the bindings"
        );
    }

    #[test]
    fn values_and_plurals_are_filled_in() {
        let v = serde_json::json!({"volume": "data", "users": "web", "count": 1});
        assert_eq!(
            render(
                "`{volume}` by {users}: remove {count|it|them} ({count|one|# of them}) {x}",
                &v
            ),
            "`data` by web: remove it (one) {x}"
        );
        let v = serde_json::json!({"count": 3});
        assert_eq!(render("{count|it|these #}", &v), "these 3");
        for s in samples() {
            let text = s.to_string();
            assert!(!text.contains('{'), "{s:?} left a value unfilled: {text}");
        }
    }
}
