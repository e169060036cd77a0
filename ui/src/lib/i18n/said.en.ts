// Generated from crates/berth-core/src/said.rs with the bindings: do not edit.
// Berth's own sentences in English; ko.ts gives each its Korean.
export const saidEn = {
  "said.refEmpty": "is empty: type an image name such as `busybox` or `127.0.0.1:5000/team/app:1`",
  "said.refSpace": "`{input}` contains {char}: a reference has no spaces",
  "said.refImageId": "`{input}` is a 64-character hex string: that is an image ID, not a name",
  "said.refNoNameBeforeAt": "`{input}` has no name before `@`",
  "said.refNoNameBeforeColon": "`{input}` has no name before `:`",
  "said.refEmptyPart": "`{name}` has an empty part: no leading, trailing or double `/`",
  "said.refTooLong": "the full name `{name}` is {len} characters; the limit is {max}",
  "said.registryNoPort": "registry `{registry}` ends with `:` but has no port",
  "said.registryPortNotNumber": "registry `{registry}`: port `{port}` is not a number",
  "said.registryNotHost": "registry `{host}` is not a host name: letters, digits, inner `-`, parts joined by `.`",
  "said.repoUppercase": "repository `{part}` must be lowercase (tags may have capitals, names may not)",
  "said.namePartChar": "`{part}` contains {char}: a name part has letters a-z, digits, and `.`, `_`, `__` or `-` between them",
  "said.namePartEdge": "`{part}` starts or ends with a separator: a name part has letters a-z, digits, and `.`, `_`, `__` or `-` between them",
  "said.namePartSeparator": "`{part}` has the separator `{separator}`: a name part has letters a-z, digits, and `.`, `_`, `__` or `-` between them",
  "said.tagEmpty": "the tag after `:` is empty",
  "said.tagTooLong": "the tag is {len} characters; the limit is {max}",
  "said.tagChars": "tag `{tag}`: letters, digits, `_`, `.` and `-`, not starting with `.` or `-`",
  "said.digestNoColon": "digest `{digest}` has no `:`: a digest looks like `sha256:` and 64 hex digits",
  "said.digestNoAlgorithm": "digest `{digest}` has no algorithm before `:`",
  "said.digestAlgorithm": "digest algorithm `{algorithm}` is not one Docker accepts (sha256, sha384, sha512)",
  "said.digestLength": "digest `{digest}` has {len} hex digits; {algorithm} needs {want}",
  "said.digestHex": "digest `{digest}` must be lowercase hex digits (0-9, a-f)",
  "said.portSpecEmpty": "is empty: the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
  "said.portSpecTrailingSlash": "`{spec}` ends with `/`: the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
  "said.portProtocol": "protocol `{protocol}` is not tcp, udp or sctp",
  "said.portSpecTooManyColons": "`{spec}` has too many `:`: the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
  "said.portSpecNoContainerPort": "`{spec}` has no container port: the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
  "said.portRangeMismatch": "`{spec}`: the host range has {host} ports but the container range has {container}",
  "said.ipv6Unclosed": "`{spec}` opens `[` for an IPv6 address but never closes it",
  "said.ipv6NoColon": "`{spec}`: a `:` must follow `[{address}]`",
  "said.notAnIp": "`{ip}` is not an IP address; the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80",
  "said.hostPortRangeBackwards": "host port range `{range}` ends before it starts",
  "said.containerPortRangeBackwards": "container port range `{range}` ends before it starts",
  "said.hostPortNotNumber": "host port `{port}` is not a number",
  "said.containerPortNotNumber": "container port `{port}` is not a number",
  "said.hostPortOutOfRange": "host port `{port}` is out of range: ports are 1 to 65535",
  "said.containerPortOutOfRange": "container port `{port}` is out of range: ports are 1 to 65535",
  "said.cidrNoPrefix": "`{cidr}` has no prefix length: write it as ADDRESS/BITS, e.g. 172.30.0.0/16",
  "said.cidrNotIp": "`{ip}` is not an IP address",
  "said.cidrPrefix": "prefix length `/{len}` is not 0 to {max}",
  "said.cidrHostBits": "`{cidr}` has host bits set: the network address for /{len} is {network}",
  "said.networkOnlyOne": "there is only one `{driver}` network, built in: containers join it with --network {driver}",
  "said.networkExists": "a network named `{name}` already exists ({id})",
  "said.subnetOverlap": "{subnet} overlaps {other}, the subnet of network `{network}`",
  "said.gatewayOutside": "{gateway} is not inside {subnet}",
  "said.gatewayNeedsSubnet": "a gateway needs a subnet to sit in",
  "said.networkBuiltIn": "`{name}` is built in: the engine needs it and refuses to remove it (it is not in use by you alone)",
  "said.networkInUse": "network `{network}` still has containers attached: {containers}; disconnect them first",
  "said.connectNotIp": "`{ip}` is not an IP address",
  "said.aliasSpace": "`{alias}` has a space",
  "said.notKeyValue": "`{row}` is not KEY=VALUE",
  "said.volumeExists": "a volume named `{name}` already exists",
  "said.volumeInUse": "volume `{volume}` is in use by {users}: remove {count|it|them} first (a stopped container still holds its volumes)",
  "said.alreadyInDestination": "already in {dest}: {names}; nothing was copied (choose to replace them to go on)",
  "said.buildNoFolder": "pick the folder to build from",
  "said.buildFolderIsFile": "{folder} is a file; pick the folder that holds the Dockerfile",
  "said.noDockerfile": "no Dockerfile in {folder}; pick the file to build with",
  "said.dockerfileTooBig": "{path} is {size} bytes: not a Dockerfile",
  "said.dockerfileEmpty": "the Dockerfile has no instructions",
  "said.noStages": "no stage is named {target}: this Dockerfile names none (FROM image AS name)",
  "said.noSuchStage": "no stage is named {target}; the stages are: {stages}",
  "said.buildTagDigest": "a build is named by a tag, not a digest",
  "said.buildArgNoName": "a build arg needs a name",
  "said.buildArgName": "`{name}`: a name has no `=` or spaces",
  "said.buildArgTwice": "{name} is given twice",
  "said.buildArgUnused": "build arg {name}: no ARG {name} in the Dockerfile takes it, so the engine ignores it",
  "said.buildStepFailed": "step {step} ({text}): {detail}",
  "said.buildStepLineFailed": "step {step} (line {line}, {text}): {detail}",
  "said.buildTargetMissing": "the engine could not build the target stage: {detail}",
  "said.buildNoImage": "the engine ended the build without naming an image",
  "said.pathFailed": "{path}: {detail}",
  "said.notAFile": "{path} is not a file",
  "said.notAFolder": "{path} is not a folder",
  "said.notText": "{path} is not text (UTF-8)",
  "said.noSuchPath": "{path} does not exist",
  "said.containerNoSuchPath": "{path} does not exist in the container: {detail}",
  "said.pathNoName": "{path} has no name",
  "said.pathRelative": "`{path}` is relative: a container path starts with /",
  "said.notRegularFile": "{path} is not a regular file",
  "said.containerPathUnreadable": "reading {path}: {detail}",
  "said.engineSentNothing": "{path}: the engine sent nothing",
  "said.archiveDamaged": "the archive is damaged: {detail}",
  "said.archiveWriteFailed": "writing the archive: {detail}",
  "said.copyOutCancelled": "cancelled: nothing was placed in the destination",
  "said.copyInCancelled": "cancelled: files already sent may be in the container",
  "said.cancelled": "cancelled",
  "said.listCancelled": "cancelled: {path} was not listed",
  "said.secretNeedsBuildKit": "secrets and the SSH agent need BuildKit: choose it as the builder",
  "said.secretIdBad": "`{id}` is not a secret id: letters, digits, `_`, `-` and `.` only",
  "said.secretTwice": "the secret `{id}` is given twice",
  "said.secretTooBig": "{path} is {size} bytes: a secret holds at most {max}",
  "said.buildKitMissing": "this engine has no BuildKit (Podman builds with Buildah): choose the classic builder",
  "said.sshAgentMissing": "no SSH agent: SSH_AUTH_SOCK is not set for Berth, so `--ssh default` has nothing to forward",
  "said.taskFailed": "a background task of Berth failed: {detail}",
  "said.registryUnreadable": "{registry}: the {what} {digest} cannot be read: {detail}",
  "said.manifestSchema1": "{registry}: `{image}` is a schema 1 manifest, which Docker no longer pulls",
  "said.noSuchPlatform": "`{image}` has no {platform}; it has: {platforms}",
  "said.notInRegistry": "`{image}` is not in {registry}: {detail}",
  "said.registryRefused": "{registry} refused: {detail}",
  "said.registryWantsLogin": "{registry} asks for credentials to read `{image}`: log in with `docker login {registry}`",
  "said.digestMismatch": "{registry} sent content for `{image}` that does not match its digest, so it was rejected: {detail}",
  "said.registryUnreachable": "could not reach the registry {registry}: {detail}",
  "said.registryFailed": "{registry}: {detail}",
  "said.skipClimbs": "`{path}`: skipped, it climbs out with `..`",
  "said.skipAbsolute": "`{path}`: skipped, it is an absolute path",
  "said.skipNoName": "`{path}`: skipped, it has no name",
  "said.skipUnderLink": "`{path}`: skipped, its folder is the skipped symlink `{link}`, which is never followed",
  "said.skipFolderIsLink": "`{path}`: skipped, its folder is a symlink, which is never followed",
  "said.skipFolderIsFile": "`{path}`: skipped, its folder is a file",
  "said.skipFailed": "`{path}`: skipped, {detail}",
  "said.skipLinkNoTarget": "`{path}`: skipped, a symlink with no target",
  "said.skipLinkOutside": "`{path}`: skipped, a symlink pointing outside the copy (→ {target})",
  "said.skipHardlinkNoTarget": "`{path}`: skipped, a hardlink with no target",
  "said.skipHardlinkOutside": "`{path}`: skipped, a hardlink pointing outside the copy (→ {target})",
  "said.skipHardlinkNotFile": "`{path}`: skipped, a hardlink to `{target}`, which is not a file of this copy",
  "said.skipDevice": "`{path}`: skipped, a device file",
  "said.skipFifo": "`{path}`: skipped, a FIFO (named pipe)",
  "said.skipKind": "`{path}`: skipped, an entry of type {kind}",
  "said.modeBitsRemoved": "`{path}`: setuid/setgid/sticky bits removed",
  "said.loginServerBad": "`{server}` is not a registry: give a host name with an optional port, such as 127.0.0.1:5000 or ghcr.io",
  "said.loginNoUser": "give the user name for this registry",
  "said.loginNoPassword": "give the password (or access token)",
  "said.helperNotInstalled": "docker-credential-{helper} is not installed here",
  "said.noHelperInstalled": "no credential helper is set up in {config}, and none is installed: Berth never writes passwords in plain text. Install one ({helpers}) and log in again",
  "said.chooseHelper": "no credential helper is set up in {config}: choose one to keep passwords in ({helpers})",
  "said.loginRefused": "{registry} refused the user name or password; nothing was stored ({detail})",
  "said.configNotObject": "{path} is not a JSON object",
  "said.configNotJson": "{path} is not valid JSON; fix or move it first (Berth leaves it as it is)",
  "said.notLoggedIn": "not logged in to {registry}",
  "said.pushDigest": "push a tag, not a digest",
  "said.pushRefused": "{registry} refused the push: {detail}; log in with `docker login {registry}`",
  "said.pushNoDigest": "the push of {image} ended without a digest",
  "said.engineStreamBroke": "{request}: {detail}",
  "said.platformForm": "`{platform}` is not os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8",
  "said.tagDigest": "a tag cannot carry a digest: a digest names content, a tag is a name you choose",
  "said.imageInUse": "`{image}` is used by {count|# container|# containers}: {users}. Remove {count|it|them} first.",
  "said.hostEmpty": "is empty",
  "said.hostUnixPath": "a unix socket needs an absolute path, as in unix:///var/run/docker.sock (value: `{value}`)",
  "said.hostPipePath": "a named pipe needs a path, as in npipe:////./pipe/docker_engine (value: `{value}`)",
  "said.hostSshHost": "an ssh address needs a host, as in ssh://user@host (value: `{value}`)",
  "said.hostTcpHost": "a tcp address needs a host, as in tcp://127.0.0.1:2375 (value: `{value}`)",
  "said.hostPort": "port `{port}` is not a number from 1 to 65535 (value: `{value}`)",
  "said.hostNoHostBeforePort": "a tcp address needs a host before the port (value: `{value}`)",
  "said.hostScheme": "unknown scheme `{scheme}`; use unix://, tcp://, npipe:// or ssh:// (value: `{value}`)",
  "said.noHome": "no home folder to find docker's settings in: set DOCKER_CONFIG",
  "said.contextMissing": "context `{name}` not found ({path}: {detail})",
  "said.contextNotJson": "{path} is not valid JSON",
  "said.contextNoEndpoint": "context `{name}` has no docker endpoint in {path}",
  "said.contextOverridden": "{variable} is set, and it wins over any context (as for the docker CLI): unset it to switch",
  "said.noSuchContext": "no context is named `{name}`; there are: {names}",
  "said.contextNamedPipe": "{name}: named pipes exist only on Windows",
  "said.noSocket": "no socket at {path}",
  "said.noAnswerWithin": "no answer from {address} within {secs} s",
  "said.namedPipesWindowsOnly": "named pipes exist only on Windows",
  "said.noVersionAnswer": "the engine did not answer /version within {secs} s",
  "said.engineAnswerUnreadable": "{request}: the engine's answer cannot be read: {detail}",
  "said.notOverThisConnection": "{request}: not supported over {address}",
  "said.helperMissing": "{program} {action}: it is not installed (not found on PATH)",
  "said.helperFailed": "{program} {action}: {detail}",
  "said.nameEmpty": "is empty",
  "said.nameTooShort": "`{name}` is too short: a name has at least 2 characters",
  "said.nameStart": "`{name}` must start with a letter or a digit",
  "said.nameChar": "`{name}` contains {char}: only letters, digits, `_`, `.` and `-` are allowed",
  "said.commandQuote": "has a quote that is never closed (or ends with `\\`)",
  "said.portsWithHostNetwork": "with network `host` the container uses the host's ports directly; remove this row",
  "said.portsWithNoNetwork": "with network `none` the container has no network to publish from; remove this row",
  "said.hostPortTwice": "host port {port}/{protocol} is already used by row {row}",
  "said.restartWithRm": "auto-remove (--rm) and a restart policy conflict: a container removed when it stops cannot be restarted",
  "said.targetEmpty": "is empty: a path inside the container, such as /data",
  "said.targetRelative": "`{path}` is relative: a path inside the container starts with /",
  "said.pathColon": "`{path}` contains `:`, which docker reads as a separator",
  "said.targetRoot": "`/` cannot be a mount destination",
  "said.targetTwice": "`{path}` is already a mount destination ({other})",
  "said.hostPathEmpty": "is empty: pick a host folder",
  "said.hostPathRelative": "`{path}` is relative: docker needs an absolute host path (it would read `{path}` as a volume name)",
  "said.anonymousReadOnly": "an anonymous volume cannot be read-only: it starts empty, so give it a name",
  "said.sizeForm": "`{size}` is not a size: a number with an optional unit b, k, m or g (64m)",
  "said.sizeRange": "`{size}` is zero or too large",
  "said.envNameEmpty": "is empty: a variable needs a name",
  "said.envNameEquals": "`{name}` contains `=`: the name ends where `=` starts",
  "said.envNameSpace": "`{name}` contains a space",
  "said.envNameTwice": "`{name}` is already set in row {row}",
  "said.envFileLineName": "line {line}: `{name}` is not a variable name (empty or has spaces); skipped",
  "said.envFileLineNoEquals": "line {line}: `{text}` has no `=`: docker would copy it from your shell; skipped",
  "said.envFileTooBig": "{path} is {size} bytes; an env file over 1 MiB is not read",
  "said.envFileNotText": "{path} is not UTF-8 text (byte {byte})",
  "said.portNotPublished": "{port}/{protocol} is not published to this machine as TCP: publish it with -p HOST_PORT:{port}",
  "said.shellUnknown": "`{shell}` is not one of bash, ash, sh",
  "said.shellDetached": "the engine started the shell detached",
  "said.logStreamBroke": "the log stream broke: {detail}",
  "said.commitInstruction": "`{word}` cannot be applied by commit; these can: {allowed}",
  "said.commitNeedsValue": "`{word}` needs a value",
  "said.commitOnePerLine": "one instruction per line",
  "said.commitDigest": "a commit makes a tag, not a digest: drop the @sha256:... part",
  "said.commandMultiline": "a command spans more than one line",
  "said.imageNotHere": "`{image}` is not on this machine: pull it first (docker image pull {input})",
  "said.nameTaken": "`{name}` is taken by container {id} ({state}, image {image}); pick another name or remove it",
  "said.hostPortTaken": "host port {port}/{protocol} is taken by container `{container}` ({id}, image {image})",
  "said.hostPortHeld": "host port {port} is in use by a program on this machine (not a container)",
  "said.noSuchNetwork": "network `{network}` does not exist; there are: {networks}",
  "said.noBrowser": "no browser could open {url}: {detail}",
  "said.terminalWriteFailed": "terminal {id}: {detail}",
  "said.terminalClosed": "terminal {id} is closed",
  "said.settingsFailed": "settings: {detail}",
  "said.projectEmpty": "name the compose project",
  "said.projectGone": "the compose project {project} has no containers (any more)",
  "said.projectNameBad": "`{name}` is not a project name: lowercase letters, digits, `-` and `_`, starting with a letter or digit",
  "said.composeNoPath": "pick a compose file or the folder that holds one",
  "said.composeNoFile": "no compose file in {folder} (looked for {names})",
  "said.composeTooBig": "{path} is {size} bytes: not a compose file",
  "said.composeInvalid": "the compose file does not read: {detail}",
  "said.composeVariableRequired": "${name} must be set: {detail}",
  "said.composeNoServices": "the compose file has no services",
  "said.composeNoImage": "service {service} has neither `image:` nor `build:`",
  "said.composeNoTool": "no compose CLI is installed: neither `docker compose` nor `docker-compose` answers",
  "said.composeNotRun": "{program} could not be run: {detail}",
  "said.composeFailed": "`{command}` failed (exit code {status}): {detail}",
  "said.composeCliSaid": "the compose CLI finds the file wrong: {detail}",
  "said.composeNotSaved": "not saved: the text no longer reads as YAML (line {line}): {detail}",
  "said.sshUrlBad": "`{value}` is not an ssh address: the form is ssh://[user@]host[:port][/socket-path]",
  "said.sshHostKeyUnknown": "{host} is not known yet: its {algorithm} key has the fingerprint {fingerprint}. Trust it only if that is the key of the machine you mean",
  "said.sshHostKeyChanged": "the host key of {host} is not the one recorded in {path} (line {line}): someone may be in between. Berth refuses; if the machine really was given a new key, remove that line yourself",
  "said.sshKnownHostsUnreadable": "{path} cannot be read: {detail}",
  "said.sshUnreachable": "{host} cannot be reached over SSH: {detail}",
  "said.sshFailed": "SSH to {host} failed: {detail}",
  "said.sshAuthFailed": "{host} refused {user}'s keys (from the ssh agent and the key files): add the key to the agent, or name it with IdentityFile in ~/.ssh/config",
  "said.sshNoDocker": "{host} has no docker CLI: Berth runs `docker system dial-stdio` there, as the docker CLI does",
  "said.sshRemotePermission": "on {host}, the SSH user may not open the engine's socket: {detail}",
  "said.sshRemoteEngine": "the engine on {host} did not answer: {detail}",
  "said.sshPassphraseNeeded": "the key {key} is locked with a passphrase: type it to log in to {host} (Berth keeps it in memory until it quits, and never writes it)",
  "said.sshPassphraseWrong": "that passphrase does not open {key}",
  "said.sshKeyUnreadable": "the host key cannot be trusted: {detail}",
  "said.tlsSkipVerify": "context {name} skips checking the engine's certificate (SkipTLSVerify): Berth always checks it. Create the context again with the engine's CA",
  "said.plainTcpNeedsConsent": "{host} is plain TCP without TLS: anyone who can reach that port controls the machine. Confirm that you accept this, or use TLS or SSH",
  "said.tlsOnlyTcp": "{host} is not a tcp:// address: certificates are for TCP with TLS only",
  "said.tlsPairHalf": "{path} is only half of the client's pair: give both the certificate and its key, or neither",
  "said.tlsNoCa": "there is no CA certificate at {path}: Berth trusts only the CA you name, as the docker CLI does with --tlsverify",
  "said.tlsNoCertificate": "{path} holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)",
  "said.tlsPemBad": "{path} does not read as PEM: {detail}",
  "said.tlsConfigBad": "the TLS certificates cannot be used: {detail}",
  "said.tlsClientExpired": "the client certificate {path} expired on {date}: ask whoever runs the engine for a new one",
  "said.tlsClientNotYet": "the client certificate {path} is valid only from {date}: check this computer's clock",
  "said.tlsUnknownCa": "{address} showed a certificate that the CA in {ca} did not sign: a wrong CA file, or someone in between",
  "said.tlsNameMismatch": "{address} showed a certificate that is not made out for `{host}`: connect by a name the certificate names ({detail})",
  "said.tlsServerExpired": "the engine's certificate at {address} is out of its dates: {detail}",
  "said.tlsClientRefusedExpired": "{address} refused the client certificate: it has expired",
  "said.tlsNeedsClientCert": "{address} asks for a client certificate: give the certificate and its key",
  "said.tlsClientRefused": "{address} refused the client certificate: {detail}",
  "said.tlsNotDocker": "{address} speaks TLS but not the Docker API: its first answer began {detail}",
  "said.tlsFailed": "TLS with {address} failed: {detail}",
  "said.contextNameBad": "`{name}` is not a context name: letters, digits, `.`, `_`, `+` and `-`, starting with a letter or digit (and not `default`)",
  "said.contextExists": "a context named `{name}` already exists",
  "said.contextInUse": "`{name}` is the context in use: switch to another before removing it",
  "said.swarmNotManager": "this engine is not a swarm manager: services, nodes, secrets and configs are managed on a manager ({detail})",
  "said.swarmChooseAddress": "this machine has several addresses: choose the one the other nodes reach it by ({choices}). The engine said: {detail}",
  "said.swarmAddressBad": "`{value}` is not an address: give an IP address or an interface name, with an optional :port",
  "said.swarmTokenBad": "a join token starts with SWMTKN-: copy it from `docker swarm join-token worker` on a manager",
  "said.serviceNameLong": "`{name}` is {len} characters: a service name has at most 63",
  "said.serviceNotReplicated": "{name} is a global service: it runs one task on every node and cannot be scaled",
  "said.serviceModeBad": "`{value}` is not a mode: replicated (a number of tasks) or global (one task on every node)",
  "said.serviceNoPrevious": "{name} has not been updated: there is no earlier spec to roll back to",
  "said.servicePortIp": "`{spec}` names a host address: the routing mesh listens on every node's addresses, so give PUBLISHED:TARGET",
  "said.servicePortRange": "`{spec}`: give one port, PUBLISHED:TARGET (ranges are not taken here)",
  "said.replicasBad": "`{value}` is not a number of replicas from 0 to 10000",
  "said.durationBad": "`{value}` is not a duration: a number with a unit, like 10s, 1m30s or 500ms",
  "said.failureActionBad": "`{value}` is not a failure action: pause, continue or rollback",
  "said.updateOrderBad": "`{value}` is not an update order: stop-first or start-first",
  "said.secretUnknown": "there is no secret named `{name}`: create it first",
  "said.swarmObjectNameBad": "`{name}` is not a name: up to 64 letters, digits, `-`, `_` and `.`, starting with a letter or digit",
  "said.swarmValueOrFile": "give the value or a file, not both",
  "said.swarmValueEmpty": "is empty: type the value, or pick a file to read it from",
  "said.swarmValueTooBig": "the value is {size} bytes; the engine takes at most {max}",
  "said.swarmObjectExists": "a {kind} named `{name}` already exists: its value cannot be changed, so create one with a new name",
  "said.swarmObjectMissing": "there is no {kind} named `{name}`",
  "said.swarmObjectInUse": "{kind} `{name}` is used by {services}: remove it from them (or remove them) first",
  "said.serviceImageUnpinned": "{image} could not be looked up on a registry to pin its digest: each node uses its own copy of the tag, so nodes may run different versions of it",
  "said.stackMissing": "there is no stack named `{name}`",
  "said.labelBad": "`{label}` is not a label: the form is KEY=VALUE, the key without spaces",
  "said.labUnreadable": "the lab file could not be read ({detail})",
  "said.labInvalid": "the lab file is not a lab: {detail}",
  "said.labIdBad": "`{field}`: an id is lower-case letters, digits and `-`, 40 at most, and a step's is not repeated",
  "said.labNeedsQuestion": "`{field}`: an answer check needs a question",
  "said.labNeedsCommand": "`{field}`: a step needs at least one command",
  "said.labNeedsStep": "`steps`: a lab needs at least one step",
  "said.labNeedsBoth": "`{field}`: both `en` and `ko` are needed",
  "said.labUnknownName": "`{name}`, used in braces, is not a parameter of this lab",
  "said.labPathOutside": "`{field}`: a lab's file must be inside the lab's folder",
  "said.labMissing": "there is no lab `{id}`",
  "said.labDuplicate": "a lab with the id `{id}` is already loaded; this file is skipped",
  "said.labNotRunning": "{name} exists but is not running: start it (or run it with --detach)",
  "said.labNeverStarted": "{name} was created but never started",
  "said.labExitedWith": "{name} exited with code {exit}, not 0: it failed (see its logs)",
  "said.labLogsLack": "{name}'s output does not show `{text}`",
  "said.labPortNotPublished": "{name} does not publish its port {container}: nothing on the host reaches it (EXPOSE only documents a port; -p publishes it)",
  "said.labPortWrongTarget": "{name} sends host port {host} to its port {found}, but the server listens on {container}",
  "said.labPortOtherHost": "{name} publishes its port {container} on host port {found}, not {host}",
  "said.labNotCommittedFrom": "{image} exists but was not committed from {container}",
  "said.labSameImage": "{image} is the same image as {other}: nothing changed between the builds",
  "said.labCopyNotLast": "in {image}, the last step that makes a layer is `{step}`, not the COPY: a change to the page still runs the steps after it again",
  "said.labCacheMissed": "{image} shares {shared} of {base}'s {lower} lower layers: a step before the last one ran again instead of coming from the cache",
  "said.labNotPushed": "the registry does not have {reference} yet (or could not be asked)",
  "said.labPulledByTag": "{tag} is here as a tag: that is a pull by tag. Remove it and pull by digest (NAME@sha256:…)",
  "said.labImageMissing": "{image} is not in the local image store: pull it first",
  "said.labThatIsTheDigest": "that is the repo digest (the registry's name for the manifest), not the image ID",
  "said.labThatIsTheId": "that is the image ID (the digest of the image's config, local), not the repo digest",
  "said.labAnswerShort": "type at least 12 characters of it",
  "said.labAnswerWrong": "that is neither the image ID nor its repo digest: look again",
  "said.labFilesSame": "{files} are the same: copy each from its own container",
  "said.labAnonymousVolume": "{name} has an anonymous volume at {path}, not the volume {volume}: give the volume's name (-v {volume}:{path})",
  "said.labOtherVolume": "{name} mounts the volume {found} at {path}, not {volume}",
  "said.labNotAVolume": "{name} has a {kind} mount at {path}, not a volume",
  "said.labWroteToLayer": "{name} has nothing mounted at {path}: its file went to the container's own layer, and goes when the container goes",
  "said.labNoMount": "{name} has nothing mounted at {path}",
  "said.labHttpFailed": "{url} did not answer ({detail})",
  "said.labHttpStatus": "{url} answered with status {status}",
  "said.labPageDiffers": "the page at {url} is not what {path} holds now",
} as const;

// One of every code, with sample values, for the tests.
export const saidSamples = [
  {
    "code": "refEmpty"
  },
  {
    "code": "refSpace",
    "input": "<input>",
    "char": "<char>"
  },
  {
    "code": "refImageId",
    "input": "<input>"
  },
  {
    "code": "refNoNameBeforeAt",
    "input": "<input>"
  },
  {
    "code": "refNoNameBeforeColon",
    "input": "<input>"
  },
  {
    "code": "refEmptyPart",
    "name": "<name>"
  },
  {
    "code": "refTooLong",
    "name": "<name>",
    "len": 2,
    "max": 2
  },
  {
    "code": "registryNoPort",
    "registry": "<registry>"
  },
  {
    "code": "registryPortNotNumber",
    "registry": "<registry>",
    "port": "<port>"
  },
  {
    "code": "registryNotHost",
    "host": "<host>"
  },
  {
    "code": "repoUppercase",
    "part": "<part>"
  },
  {
    "code": "namePartChar",
    "part": "<part>",
    "char": "<char>"
  },
  {
    "code": "namePartEdge",
    "part": "<part>"
  },
  {
    "code": "namePartSeparator",
    "part": "<part>",
    "separator": "<separator>"
  },
  {
    "code": "tagEmpty"
  },
  {
    "code": "tagTooLong",
    "len": 2,
    "max": 2
  },
  {
    "code": "tagChars",
    "tag": "<tag>"
  },
  {
    "code": "digestNoColon",
    "digest": "<digest>"
  },
  {
    "code": "digestNoAlgorithm",
    "digest": "<digest>"
  },
  {
    "code": "digestAlgorithm",
    "algorithm": "<algorithm>"
  },
  {
    "code": "digestLength",
    "digest": "<digest>",
    "len": 2,
    "algorithm": "<algorithm>",
    "want": 2
  },
  {
    "code": "digestHex",
    "digest": "<digest>"
  },
  {
    "code": "portSpecEmpty"
  },
  {
    "code": "portSpecTrailingSlash",
    "spec": "<spec>"
  },
  {
    "code": "portProtocol",
    "protocol": "<protocol>"
  },
  {
    "code": "portSpecTooManyColons",
    "spec": "<spec>"
  },
  {
    "code": "portSpecNoContainerPort",
    "spec": "<spec>"
  },
  {
    "code": "portRangeMismatch",
    "spec": "<spec>",
    "host": 2,
    "container": 2
  },
  {
    "code": "ipv6Unclosed",
    "spec": "<spec>"
  },
  {
    "code": "ipv6NoColon",
    "spec": "<spec>",
    "address": "<address>"
  },
  {
    "code": "notAnIp",
    "ip": "<ip>"
  },
  {
    "code": "hostPortRangeBackwards",
    "range": "<range>"
  },
  {
    "code": "containerPortRangeBackwards",
    "range": "<range>"
  },
  {
    "code": "hostPortNotNumber",
    "port": "<port>"
  },
  {
    "code": "containerPortNotNumber",
    "port": "<port>"
  },
  {
    "code": "hostPortOutOfRange",
    "port": "<port>"
  },
  {
    "code": "containerPortOutOfRange",
    "port": "<port>"
  },
  {
    "code": "cidrNoPrefix",
    "cidr": "<cidr>"
  },
  {
    "code": "cidrNotIp",
    "ip": "<ip>"
  },
  {
    "code": "cidrPrefix",
    "len": "<len>",
    "max": 2
  },
  {
    "code": "cidrHostBits",
    "cidr": "<cidr>",
    "len": 2,
    "network": "<network>"
  },
  {
    "code": "networkOnlyOne",
    "driver": "<driver>"
  },
  {
    "code": "networkExists",
    "name": "<name>",
    "id": "<id>"
  },
  {
    "code": "subnetOverlap",
    "subnet": "<subnet>",
    "other": "<other>",
    "network": "<network>"
  },
  {
    "code": "gatewayOutside",
    "gateway": "<gateway>",
    "subnet": "<subnet>"
  },
  {
    "code": "gatewayNeedsSubnet"
  },
  {
    "code": "networkBuiltIn",
    "name": "<name>"
  },
  {
    "code": "networkInUse",
    "network": "<network>",
    "containers": "<containers>"
  },
  {
    "code": "connectNotIp",
    "ip": "<ip>"
  },
  {
    "code": "aliasSpace",
    "alias": "<alias>"
  },
  {
    "code": "notKeyValue",
    "row": "<row>"
  },
  {
    "code": "volumeExists",
    "name": "<name>"
  },
  {
    "code": "volumeInUse",
    "volume": "<volume>",
    "users": "<users>",
    "count": 2
  },
  {
    "code": "alreadyInDestination",
    "dest": "<dest>",
    "names": "<names>"
  },
  {
    "code": "buildNoFolder"
  },
  {
    "code": "buildFolderIsFile",
    "folder": "<folder>"
  },
  {
    "code": "noDockerfile",
    "folder": "<folder>"
  },
  {
    "code": "dockerfileTooBig",
    "path": "<path>",
    "size": 3
  },
  {
    "code": "dockerfileEmpty"
  },
  {
    "code": "noStages",
    "target": "<target>"
  },
  {
    "code": "noSuchStage",
    "target": "<target>",
    "stages": "<stages>"
  },
  {
    "code": "buildTagDigest"
  },
  {
    "code": "buildArgNoName"
  },
  {
    "code": "buildArgName",
    "name": "<name>"
  },
  {
    "code": "buildArgTwice",
    "name": "<name>"
  },
  {
    "code": "buildArgUnused",
    "name": "<name>"
  },
  {
    "code": "buildStepFailed",
    "step": 2,
    "text": "<text>",
    "detail": "<detail>"
  },
  {
    "code": "buildStepLineFailed",
    "step": 2,
    "line": 2,
    "text": "<text>",
    "detail": "<detail>"
  },
  {
    "code": "buildTargetMissing",
    "detail": "<detail>"
  },
  {
    "code": "buildNoImage"
  },
  {
    "code": "pathFailed",
    "path": "<path>",
    "detail": "<detail>"
  },
  {
    "code": "notAFile",
    "path": "<path>"
  },
  {
    "code": "notAFolder",
    "path": "<path>"
  },
  {
    "code": "notText",
    "path": "<path>"
  },
  {
    "code": "noSuchPath",
    "path": "<path>"
  },
  {
    "code": "containerNoSuchPath",
    "path": "<path>",
    "detail": "<detail>"
  },
  {
    "code": "pathNoName",
    "path": "<path>"
  },
  {
    "code": "pathRelative",
    "path": "<path>"
  },
  {
    "code": "notRegularFile",
    "path": "<path>"
  },
  {
    "code": "containerPathUnreadable",
    "path": "<path>",
    "detail": "<detail>"
  },
  {
    "code": "engineSentNothing",
    "path": "<path>"
  },
  {
    "code": "archiveDamaged",
    "detail": "<detail>"
  },
  {
    "code": "archiveWriteFailed",
    "detail": "<detail>"
  },
  {
    "code": "copyOutCancelled"
  },
  {
    "code": "copyInCancelled"
  },
  {
    "code": "cancelled"
  },
  {
    "code": "listCancelled",
    "path": "<path>"
  },
  {
    "code": "secretNeedsBuildKit"
  },
  {
    "code": "secretIdBad",
    "id": "<id>"
  },
  {
    "code": "secretTwice",
    "id": "<id>"
  },
  {
    "code": "secretTooBig",
    "path": "<path>",
    "size": 3,
    "max": 3
  },
  {
    "code": "buildKitMissing"
  },
  {
    "code": "sshAgentMissing"
  },
  {
    "code": "taskFailed",
    "detail": "<detail>"
  },
  {
    "code": "registryUnreadable",
    "registry": "<registry>",
    "what": "<what>",
    "digest": "<digest>",
    "detail": "<detail>"
  },
  {
    "code": "manifestSchema1",
    "registry": "<registry>",
    "image": "<image>"
  },
  {
    "code": "noSuchPlatform",
    "image": "<image>",
    "platform": "<platform>",
    "platforms": "<platforms>"
  },
  {
    "code": "notInRegistry",
    "image": "<image>",
    "registry": "<registry>",
    "detail": "<detail>"
  },
  {
    "code": "registryRefused",
    "registry": "<registry>",
    "detail": "<detail>"
  },
  {
    "code": "registryWantsLogin",
    "registry": "<registry>",
    "image": "<image>"
  },
  {
    "code": "digestMismatch",
    "registry": "<registry>",
    "image": "<image>",
    "detail": "<detail>"
  },
  {
    "code": "registryUnreachable",
    "registry": "<registry>",
    "detail": "<detail>"
  },
  {
    "code": "registryFailed",
    "registry": "<registry>",
    "detail": "<detail>"
  },
  {
    "code": "skipClimbs",
    "path": "<path>"
  },
  {
    "code": "skipAbsolute",
    "path": "<path>"
  },
  {
    "code": "skipNoName",
    "path": "<path>"
  },
  {
    "code": "skipUnderLink",
    "path": "<path>",
    "link": "<link>"
  },
  {
    "code": "skipFolderIsLink",
    "path": "<path>"
  },
  {
    "code": "skipFolderIsFile",
    "path": "<path>"
  },
  {
    "code": "skipFailed",
    "path": "<path>",
    "detail": "<detail>"
  },
  {
    "code": "skipLinkNoTarget",
    "path": "<path>"
  },
  {
    "code": "skipLinkOutside",
    "path": "<path>",
    "target": "<target>"
  },
  {
    "code": "skipHardlinkNoTarget",
    "path": "<path>"
  },
  {
    "code": "skipHardlinkOutside",
    "path": "<path>",
    "target": "<target>"
  },
  {
    "code": "skipHardlinkNotFile",
    "path": "<path>",
    "target": "<target>"
  },
  {
    "code": "skipDevice",
    "path": "<path>"
  },
  {
    "code": "skipFifo",
    "path": "<path>"
  },
  {
    "code": "skipKind",
    "path": "<path>",
    "kind": "<kind>"
  },
  {
    "code": "modeBitsRemoved",
    "path": "<path>"
  },
  {
    "code": "loginServerBad",
    "server": "<server>"
  },
  {
    "code": "loginNoUser"
  },
  {
    "code": "loginNoPassword"
  },
  {
    "code": "helperNotInstalled",
    "helper": "<helper>"
  },
  {
    "code": "noHelperInstalled",
    "config": "<config>",
    "helpers": "<helpers>"
  },
  {
    "code": "chooseHelper",
    "config": "<config>",
    "helpers": "<helpers>"
  },
  {
    "code": "loginRefused",
    "registry": "<registry>",
    "detail": "<detail>"
  },
  {
    "code": "configNotObject",
    "path": "<path>"
  },
  {
    "code": "configNotJson",
    "path": "<path>"
  },
  {
    "code": "notLoggedIn",
    "registry": "<registry>"
  },
  {
    "code": "pushDigest"
  },
  {
    "code": "pushRefused",
    "registry": "<registry>",
    "detail": "<detail>"
  },
  {
    "code": "pushNoDigest",
    "image": "<image>"
  },
  {
    "code": "engineStreamBroke",
    "request": "<request>",
    "detail": "<detail>"
  },
  {
    "code": "platformForm",
    "platform": "<platform>"
  },
  {
    "code": "tagDigest"
  },
  {
    "code": "imageInUse",
    "image": "<image>",
    "count": 2,
    "users": "<users>"
  },
  {
    "code": "hostEmpty"
  },
  {
    "code": "hostUnixPath",
    "value": "<value>"
  },
  {
    "code": "hostPipePath",
    "value": "<value>"
  },
  {
    "code": "hostSshHost",
    "value": "<value>"
  },
  {
    "code": "hostTcpHost",
    "value": "<value>"
  },
  {
    "code": "hostPort",
    "port": "<port>",
    "value": "<value>"
  },
  {
    "code": "hostNoHostBeforePort",
    "value": "<value>"
  },
  {
    "code": "hostScheme",
    "scheme": "<scheme>",
    "value": "<value>"
  },
  {
    "code": "noHome"
  },
  {
    "code": "contextMissing",
    "name": "<name>",
    "path": "<path>",
    "detail": "<detail>"
  },
  {
    "code": "contextNotJson",
    "path": "<path>"
  },
  {
    "code": "contextNoEndpoint",
    "name": "<name>",
    "path": "<path>"
  },
  {
    "code": "contextOverridden",
    "variable": "<variable>"
  },
  {
    "code": "noSuchContext",
    "name": "<name>",
    "names": "<names>"
  },
  {
    "code": "contextNamedPipe",
    "name": "<name>"
  },
  {
    "code": "noSocket",
    "path": "<path>"
  },
  {
    "code": "noAnswerWithin",
    "address": "<address>",
    "secs": 2
  },
  {
    "code": "namedPipesWindowsOnly"
  },
  {
    "code": "noVersionAnswer",
    "secs": 2
  },
  {
    "code": "engineAnswerUnreadable",
    "request": "<request>",
    "detail": "<detail>"
  },
  {
    "code": "notOverThisConnection",
    "request": "<request>",
    "address": "<address>"
  },
  {
    "code": "helperMissing",
    "program": "<program>",
    "action": "<action>"
  },
  {
    "code": "helperFailed",
    "program": "<program>",
    "action": "<action>",
    "detail": "<detail>"
  },
  {
    "code": "nameEmpty"
  },
  {
    "code": "nameTooShort",
    "name": "<name>"
  },
  {
    "code": "nameStart",
    "name": "<name>"
  },
  {
    "code": "nameChar",
    "name": "<name>",
    "char": "<char>"
  },
  {
    "code": "commandQuote"
  },
  {
    "code": "portsWithHostNetwork"
  },
  {
    "code": "portsWithNoNetwork"
  },
  {
    "code": "hostPortTwice",
    "port": "<port>",
    "protocol": "<protocol>",
    "row": 2
  },
  {
    "code": "restartWithRm"
  },
  {
    "code": "targetEmpty"
  },
  {
    "code": "targetRelative",
    "path": "<path>"
  },
  {
    "code": "pathColon",
    "path": "<path>"
  },
  {
    "code": "targetRoot"
  },
  {
    "code": "targetTwice",
    "path": "<path>",
    "other": "<other>"
  },
  {
    "code": "hostPathEmpty"
  },
  {
    "code": "hostPathRelative",
    "path": "<path>"
  },
  {
    "code": "anonymousReadOnly"
  },
  {
    "code": "sizeForm",
    "size": "<size>"
  },
  {
    "code": "sizeRange",
    "size": "<size>"
  },
  {
    "code": "envNameEmpty"
  },
  {
    "code": "envNameEquals",
    "name": "<name>"
  },
  {
    "code": "envNameSpace",
    "name": "<name>"
  },
  {
    "code": "envNameTwice",
    "name": "<name>",
    "row": 2
  },
  {
    "code": "envFileLineName",
    "line": 2,
    "name": "<name>"
  },
  {
    "code": "envFileLineNoEquals",
    "line": 2,
    "text": "<text>"
  },
  {
    "code": "envFileTooBig",
    "path": "<path>",
    "size": 3
  },
  {
    "code": "envFileNotText",
    "path": "<path>",
    "byte": 3
  },
  {
    "code": "portNotPublished",
    "port": 2,
    "protocol": "<protocol>"
  },
  {
    "code": "shellUnknown",
    "shell": "<shell>"
  },
  {
    "code": "shellDetached"
  },
  {
    "code": "logStreamBroke",
    "detail": "<detail>"
  },
  {
    "code": "commitInstruction",
    "word": "<word>",
    "allowed": "<allowed>"
  },
  {
    "code": "commitNeedsValue",
    "word": "<word>"
  },
  {
    "code": "commitOnePerLine"
  },
  {
    "code": "commitDigest"
  },
  {
    "code": "commandMultiline"
  },
  {
    "code": "imageNotHere",
    "image": "<image>",
    "input": "<input>"
  },
  {
    "code": "nameTaken",
    "name": "<name>",
    "id": "<id>",
    "state": "<state>",
    "image": "<image>"
  },
  {
    "code": "hostPortTaken",
    "port": 2,
    "protocol": "<protocol>",
    "container": "<container>",
    "id": "<id>",
    "image": "<image>"
  },
  {
    "code": "hostPortHeld",
    "port": 2
  },
  {
    "code": "noSuchNetwork",
    "network": "<network>",
    "networks": "<networks>"
  },
  {
    "code": "noBrowser",
    "url": "<url>",
    "detail": "<detail>"
  },
  {
    "code": "terminalWriteFailed",
    "id": 2,
    "detail": "<detail>"
  },
  {
    "code": "terminalClosed",
    "id": 2
  },
  {
    "code": "settingsFailed",
    "detail": "<detail>"
  },
  {
    "code": "projectEmpty"
  },
  {
    "code": "projectGone",
    "project": "<project>"
  },
  {
    "code": "projectNameBad",
    "name": "<name>"
  },
  {
    "code": "composeNoPath"
  },
  {
    "code": "composeNoFile",
    "folder": "<folder>",
    "names": "<names>"
  },
  {
    "code": "composeTooBig",
    "path": "<path>",
    "size": 3
  },
  {
    "code": "composeInvalid",
    "detail": "<detail>"
  },
  {
    "code": "composeVariableRequired",
    "name": "<name>",
    "detail": "<detail>"
  },
  {
    "code": "composeNoServices"
  },
  {
    "code": "composeNoImage",
    "service": "<service>"
  },
  {
    "code": "composeNoTool"
  },
  {
    "code": "composeNotRun",
    "program": "<program>",
    "detail": "<detail>"
  },
  {
    "code": "composeFailed",
    "command": "<command>",
    "status": "<status>",
    "detail": "<detail>"
  },
  {
    "code": "composeCliSaid",
    "detail": "<detail>"
  },
  {
    "code": "composeNotSaved",
    "line": 2,
    "detail": "<detail>"
  },
  {
    "code": "sshUrlBad",
    "value": "<value>"
  },
  {
    "code": "sshHostKeyUnknown",
    "host": "<host>",
    "algorithm": "<algorithm>",
    "fingerprint": "<fingerprint>"
  },
  {
    "code": "sshHostKeyChanged",
    "host": "<host>",
    "path": "<path>",
    "line": 2
  },
  {
    "code": "sshKnownHostsUnreadable",
    "path": "<path>",
    "detail": "<detail>"
  },
  {
    "code": "sshUnreachable",
    "host": "<host>",
    "detail": "<detail>"
  },
  {
    "code": "sshFailed",
    "host": "<host>",
    "detail": "<detail>"
  },
  {
    "code": "sshAuthFailed",
    "user": "<user>",
    "host": "<host>"
  },
  {
    "code": "sshNoDocker",
    "host": "<host>"
  },
  {
    "code": "sshRemotePermission",
    "host": "<host>",
    "detail": "<detail>"
  },
  {
    "code": "sshRemoteEngine",
    "host": "<host>",
    "detail": "<detail>"
  },
  {
    "code": "sshPassphraseNeeded",
    "key": "<key>",
    "host": "<host>"
  },
  {
    "code": "sshPassphraseWrong",
    "key": "<key>"
  },
  {
    "code": "sshKeyUnreadable",
    "detail": "<detail>"
  },
  {
    "code": "tlsSkipVerify",
    "name": "<name>"
  },
  {
    "code": "plainTcpNeedsConsent",
    "host": "<host>"
  },
  {
    "code": "tlsOnlyTcp",
    "host": "<host>"
  },
  {
    "code": "tlsPairHalf",
    "path": "<path>"
  },
  {
    "code": "tlsNoCa",
    "path": "<path>"
  },
  {
    "code": "tlsNoCertificate",
    "path": "<path>"
  },
  {
    "code": "tlsPemBad",
    "path": "<path>",
    "detail": "<detail>"
  },
  {
    "code": "tlsConfigBad",
    "detail": "<detail>"
  },
  {
    "code": "tlsClientExpired",
    "path": "<path>",
    "date": "<date>"
  },
  {
    "code": "tlsClientNotYet",
    "path": "<path>",
    "date": "<date>"
  },
  {
    "code": "tlsUnknownCa",
    "address": "<address>",
    "ca": "<ca>"
  },
  {
    "code": "tlsNameMismatch",
    "address": "<address>",
    "host": "<host>",
    "detail": "<detail>"
  },
  {
    "code": "tlsServerExpired",
    "address": "<address>",
    "detail": "<detail>"
  },
  {
    "code": "tlsClientRefusedExpired",
    "address": "<address>"
  },
  {
    "code": "tlsNeedsClientCert",
    "address": "<address>"
  },
  {
    "code": "tlsClientRefused",
    "address": "<address>",
    "detail": "<detail>"
  },
  {
    "code": "tlsNotDocker",
    "address": "<address>",
    "detail": "<detail>"
  },
  {
    "code": "tlsFailed",
    "address": "<address>",
    "detail": "<detail>"
  },
  {
    "code": "contextNameBad",
    "name": "<name>"
  },
  {
    "code": "contextExists",
    "name": "<name>"
  },
  {
    "code": "contextInUse",
    "name": "<name>"
  },
  {
    "code": "swarmNotManager",
    "detail": "<detail>"
  },
  {
    "code": "swarmChooseAddress",
    "choices": "<choices>",
    "detail": "<detail>"
  },
  {
    "code": "swarmAddressBad",
    "value": "<value>"
  },
  {
    "code": "swarmTokenBad"
  },
  {
    "code": "serviceNameLong",
    "name": "<name>",
    "len": 2
  },
  {
    "code": "serviceNotReplicated",
    "name": "<name>"
  },
  {
    "code": "serviceModeBad",
    "value": "<value>"
  },
  {
    "code": "serviceNoPrevious",
    "name": "<name>"
  },
  {
    "code": "servicePortIp",
    "spec": "<spec>"
  },
  {
    "code": "servicePortRange",
    "spec": "<spec>"
  },
  {
    "code": "replicasBad",
    "value": "<value>"
  },
  {
    "code": "durationBad",
    "value": "<value>"
  },
  {
    "code": "failureActionBad",
    "value": "<value>"
  },
  {
    "code": "updateOrderBad",
    "value": "<value>"
  },
  {
    "code": "secretUnknown",
    "name": "<name>"
  },
  {
    "code": "swarmObjectNameBad",
    "name": "<name>"
  },
  {
    "code": "swarmValueOrFile"
  },
  {
    "code": "swarmValueEmpty"
  },
  {
    "code": "swarmValueTooBig",
    "size": 3,
    "max": 3
  },
  {
    "code": "swarmObjectExists",
    "kind": "<kind>",
    "name": "<name>"
  },
  {
    "code": "swarmObjectMissing",
    "kind": "<kind>",
    "name": "<name>"
  },
  {
    "code": "swarmObjectInUse",
    "kind": "<kind>",
    "name": "<name>",
    "services": "<services>"
  },
  {
    "code": "serviceImageUnpinned",
    "image": "<image>"
  },
  {
    "code": "stackMissing",
    "name": "<name>"
  },
  {
    "code": "labelBad",
    "label": "<label>"
  },
  {
    "code": "labUnreadable",
    "detail": "<detail>"
  },
  {
    "code": "labInvalid",
    "detail": "<detail>"
  },
  {
    "code": "labIdBad",
    "field": "<field>"
  },
  {
    "code": "labNeedsQuestion",
    "field": "<field>"
  },
  {
    "code": "labNeedsCommand",
    "field": "<field>"
  },
  {
    "code": "labNeedsStep"
  },
  {
    "code": "labNeedsBoth",
    "field": "<field>"
  },
  {
    "code": "labUnknownName",
    "name": "<name>"
  },
  {
    "code": "labPathOutside",
    "field": "<field>"
  },
  {
    "code": "labMissing",
    "id": "<id>"
  },
  {
    "code": "labDuplicate",
    "id": "<id>"
  },
  {
    "code": "labNotRunning",
    "name": "<name>"
  },
  {
    "code": "labNeverStarted",
    "name": "<name>"
  },
  {
    "code": "labExitedWith",
    "name": "<name>",
    "exit": "<exit>"
  },
  {
    "code": "labLogsLack",
    "name": "<name>",
    "text": "<text>"
  },
  {
    "code": "labPortNotPublished",
    "name": "<name>",
    "container": 2
  },
  {
    "code": "labPortWrongTarget",
    "name": "<name>",
    "host": "<host>",
    "found": 2,
    "container": 2
  },
  {
    "code": "labPortOtherHost",
    "name": "<name>",
    "container": 2,
    "found": "<found>",
    "host": "<host>"
  },
  {
    "code": "labNotCommittedFrom",
    "image": "<image>",
    "container": "<container>"
  },
  {
    "code": "labSameImage",
    "image": "<image>",
    "other": "<other>"
  },
  {
    "code": "labCopyNotLast",
    "image": "<image>",
    "step": "<step>"
  },
  {
    "code": "labCacheMissed",
    "image": "<image>",
    "base": "<base>",
    "shared": 2,
    "lower": 2
  },
  {
    "code": "labNotPushed",
    "reference": "<reference>"
  },
  {
    "code": "labPulledByTag",
    "tag": "<tag>"
  },
  {
    "code": "labImageMissing",
    "image": "<image>"
  },
  {
    "code": "labThatIsTheDigest"
  },
  {
    "code": "labThatIsTheId"
  },
  {
    "code": "labAnswerShort"
  },
  {
    "code": "labAnswerWrong"
  },
  {
    "code": "labFilesSame",
    "files": "<files>"
  },
  {
    "code": "labAnonymousVolume",
    "name": "<name>",
    "path": "<path>",
    "volume": "<volume>"
  },
  {
    "code": "labOtherVolume",
    "name": "<name>",
    "path": "<path>",
    "found": "<found>",
    "volume": "<volume>"
  },
  {
    "code": "labNotAVolume",
    "name": "<name>",
    "path": "<path>",
    "kind": "<kind>"
  },
  {
    "code": "labWroteToLayer",
    "name": "<name>",
    "path": "<path>"
  },
  {
    "code": "labNoMount",
    "name": "<name>",
    "path": "<path>"
  },
  {
    "code": "labHttpFailed",
    "url": "<url>",
    "detail": "<detail>"
  },
  {
    "code": "labHttpStatus",
    "url": "<url>",
    "status": 2
  },
  {
    "code": "labPageDiffers",
    "url": "<url>",
    "path": "<path>"
  }
];
