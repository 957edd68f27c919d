"""The production deployment (deploy/kubernetes, the Dockerfile, docs/deploy.md) checked
against the code it runs: every manifest parses; the kustomization lists real files; every
server container has an image, resources, probes and a locked-down securityContext; the
environment variables set are ones the code reads, and each process gets those it needs;
Services, ports and URLs agree; commands name real modules and bot.cli subcommands; the
Secret holds only placeholders; the Dockerfile copies files that exist and trains the
model as the Makefile does. Files only: no cluster, no Docker, no network."""
import ast
import fnmatch
import functools
import importlib
import importlib.util
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "kubernetes"
DOCKERFILE = ROOT / "Dockerfile"
DEPLOY_DOC = ROOT / "docs" / "deploy.md"

IMAGE = "clinic-assistant"   # our image's name in the manifests; kustomization.yaml retags it
PLACEHOLDER = "CHANGE-ME"
APP_UID = 10001              # the Dockerfile's user
# Manifests kept beside the others but deliberately not applied by `kubectl apply -k`.
OPTIONAL_FILES = {"secret.example.yaml", "staff-ingress.yaml", "actions-hpa.yaml"}
PHASES = {"prepare", "setup", "serve"}
PHASE_LABEL = "clinic-assistant/phase"
WORKLOADS = {"Deployment", "StatefulSet", "Job", "CronJob"}
SERVERS = {"Deployment", "StatefulSet"}

# What each process cannot run without (beyond what its code has a default for).
REQUIRED = {
    "rasa": {"DATABASE_URL", "ACTION_ENDPOINT_URL", "REDIS_URL", "ESCALATION_SPOOL_DIR"},
    "actions": {"DATABASE_URL"},
    "staff": {"DATABASE_URL", "STAFF_SECRET_KEY"},
    "cli": {"DATABASE_URL"},
}
# Variables read by libraries rather than by bot/ and actions/, and the file of the
# installed package (or None: the interpreter) that reads each.
LIBRARY_VARIABLES = {
    "RASA_TELEMETRY_ENABLED": ("rasa", "telemetry.py"),
    "TF_CPP_MIN_LOG_LEVEL": ("rasa", "utils/common.py"),
    "PYTHONPATH": None,
}
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


# --- reading the manifests --------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def manifests() -> Dict[str, Tuple[dict, ...]]:
    """file name -> its objects, for every manifest in deploy/kubernetes."""
    files = {}
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        with open(path, encoding="utf-8") as handle:
            files[path.name] = tuple(doc for doc in yaml.safe_load_all(handle) if doc is not None)
    return files


@functools.lru_cache(maxsize=None)
def kustomization() -> dict:
    return yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))


def applied() -> List[dict]:
    """The objects `kubectl apply -k deploy/kubernetes` applies."""
    return [obj for name in kustomization()["resources"] for obj in manifests()[name]]


def every_object() -> List[Tuple[str, dict]]:
    return [(name, obj) for name, objs in manifests().items() for obj in objs]


def of_kind(kind: str, objects: Optional[List[dict]] = None) -> List[dict]:
    return [o for o in (applied() if objects is None else objects) if o["kind"] == kind]


def named(kind: str, name: str) -> dict:
    found = [o for _, o in every_object() if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def pod_template(obj: dict) -> dict:
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]
    return obj["spec"]["template"]


def containers(obj: dict) -> List[dict]:
    spec = pod_template(obj)["spec"]
    return spec.get("initContainers", []) + spec["containers"]


def ours(container: dict) -> bool:
    return container["image"].split(":")[0] == IMAGE


def our_containers(objects: Optional[List[dict]] = None) -> Iterator[Tuple[dict, dict]]:
    for obj in (applied() if objects is None else objects):
        if obj["kind"] in WORKLOADS:
            for container in containers(obj):
                if ours(container):
                    yield obj, container


def command_line(container: dict) -> str:
    return " ".join(container.get("command", []) + container.get("args", []))


def process(container: dict) -> str:
    line = command_line(container)
    if "rasa_command" in line:
        return "rasa"
    if "-m rasa_sdk" in line:
        return "actions"
    if "-m bot.staff" in line:
        return "staff"
    if "-m bot.cli" in line:
        return "cli"
    raise AssertionError(f"unknown process: {line}")


def config_data() -> Dict[str, str]:
    return named("ConfigMap", "assistant-config")["data"]


def secret_data() -> Dict[str, str]:
    return named("Secret", "assistant-secrets")["stringData"]


def environment(container: dict) -> Dict[str, Optional[str]]:
    """Variable -> value as the container would get it (secrets: the example's value;
    None for an optional key the example leaves out)."""
    env: Dict[str, Optional[str]] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            assert source["configMapRef"]["name"] == "assistant-config"
            env.update(config_data())
        elif "secretRef" in source:
            assert source["secretRef"]["name"] == "assistant-secrets"
            env.update(secret_data())
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = str(item["value"])
            continue
        ref = item["valueFrom"]
        if "secretKeyRef" in ref:
            key = ref["secretKeyRef"]
            assert key["name"] == "assistant-secrets", item
            env[item["name"]] = secret_data().get(key["key"])
        elif "configMapKeyRef" in ref:
            key = ref["configMapKeyRef"]
            assert key["name"] == "assistant-config", item
            env[item["name"]] = config_data().get(key["key"])
        else:
            env[item["name"]] = None
    return env


# --- the variables the code reads ---------------------------------------------------------

ENVIRON_NAMES = ("environ", "env")  # os.environ, or a copy of it passed as `environ`/`env`


def _is_environ(node: ast.AST) -> bool:
    return ((isinstance(node, ast.Attribute) and node.attr == "environ")
            or (isinstance(node, ast.Name) and node.id in ENVIRON_NAMES))


def _environ_key(node: ast.AST) -> Optional[ast.AST]:
    """The key expression of a read: os.environ.get(K), os.environ[K], os.getenv(K)
    (and env.get(K) on a copy of the environment, as bot.servers.rasa_command does)."""
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "get" and _is_environ(func.value):
            return node.args[0]
        if ((isinstance(func, ast.Attribute) and func.attr == "getenv")
                or (isinstance(func, ast.Name) and func.id == "getenv")):
            return node.args[0]
    if (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
            and _is_environ(node.value)):
        return node.slice
    return None


def _module_strings(tree: ast.Module) -> Set[str]:
    """Every variable-like string in the module's top-level assignments (tables such as
    notifier.ENVIRONMENT or platform_settings.TELEGRAM)."""
    found = set()
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            for node in ast.walk(statement.value):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                        and ENV_NAME.match(node.value):
                    found.add(node.value)
    return found


def variables_read_by(source: str) -> Set[str]:
    """The environment variables one module reads: literal keys, module constants used as
    keys, calls of helpers that read their first parameter (settings._positive_int), and,
    where a key is computed, the variable-like strings of the module's tables."""
    tree = ast.parse(source)
    constants = {target.id: statement.value.value
                 for statement in tree.body if isinstance(statement, ast.Assign)
                 and isinstance(statement.value, ast.Constant)
                 and isinstance(statement.value.value, str)
                 for target in statement.targets if isinstance(target, ast.Name)}
    helpers, through_helper = set(), set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and function.args.args:
            first = function.args.args[0].arg
            for node in ast.walk(function):
                key = _environ_key(node)
                if isinstance(key, ast.Name) and key.id == first:
                    helpers.add(function.name)
                    through_helper.add(id(key))
    names, computed = set(), False
    for node in ast.walk(tree):
        key = _environ_key(node)
        if key is not None:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names.add(key.value)
            elif isinstance(key, ast.Name) and key.id in constants:
                names.add(constants[key.id])
            elif id(key) not in through_helper:
                computed = True
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in helpers and node.args
                and isinstance(node.args[0], ast.Constant)):
            names.add(node.args[0].value)
    if computed:
        names |= _module_strings(tree)
    return names


@functools.lru_cache(maxsize=None)
def variables_the_code_reads() -> frozenset:
    names: Set[str] = set()
    for folder in ("bot", "actions"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= variables_read_by(path.read_text(encoding="utf-8"))
    # bot/clinic.py computes CLINIC_<FIELD> from its field names.
    from bot.clinic import OVERRIDABLE_WORDING, REQUIRED_FIELDS, _env_name

    names |= {_env_name(field) for field in REQUIRED_FIELDS + OVERRIDABLE_WORDING}
    # Rasa expands ${VAR} in endpoints.yml and credentials.yml.
    for name in ("endpoints.yml", "credentials.yml"):
        text = "\n".join(line.split("#", 1)[0]
                         for line in (ROOT / name).read_text(encoding="utf-8").splitlines())
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", text))
    return frozenset(names)


def library_variables() -> Set[str]:
    found = set()
    for name, where in LIBRARY_VARIABLES.items():
        if where is None:
            found.add(name)
            continue
        package, relative = where
        spec = importlib.util.find_spec(package)
        path = Path(list(spec.submodule_search_locations)[0]) / relative
        assert name in path.read_text(encoding="utf-8"), f"{name} is not read by {path}"
        found.add(name)
    return found


def test_the_variable_scan_finds_direct_and_indirect_reads():
    """The scanner itself, on the patterns the code uses."""
    source = '''
import os
PREFIX = "LOCK_PREFIX_NAME"
TABLE = {"setting": "TABLE_VARIABLE"}
def _number(name, default):
    return int(os.environ.get(name, default))
def read(environ=os.environ):
    a = os.environ.get("DIRECT_GET")
    b = os.environ["DIRECT_ITEM"]
    c = os.getenv("GET_ENV")
    d = os.environ.get(PREFIX)
    e = _number("THROUGH_HELPER", 1)
    os.environ["WRITTEN_ONLY"] = "1"
    return [environ.get(variable) for variable in TABLE.values()]
def command(env):
    return env.get("FROM_A_COPY")
'''
    assert variables_read_by(source) == {
        "DIRECT_GET", "DIRECT_ITEM", "GET_ENV", "LOCK_PREFIX_NAME", "THROUGH_HELPER",
        "TABLE_VARIABLE", "FROM_A_COPY"}
    known = variables_the_code_reads()
    for name in ("DATABASE_URL", "ACTION_ENDPOINT_URL", "REDIS_URL", "ESCALATION_SPOOL_DIR",
                 "SMTP_HOST", "TELEGRAM_ACCESS_TOKEN", "ASSISTANT_MAX_MESSAGE_CHARS",
                 "CLINIC_EMERGENCY_PHONE", "STAFF_SECRET_KEY", "RETENTION_DAYS"):
        assert name in known, name
    assert "DATABSE_URL" not in known


# --- the tests ----------------------------------------------------------------------------

def test_every_manifest_parses_into_named_objects():
    assert manifests(), "no manifests in deploy/kubernetes"
    for name, obj in every_object():
        assert obj.get("apiVersion") and obj.get("kind"), name
        assert obj["metadata"].get("name"), f"{name}: {obj['kind']} without a name"
        labels = obj["metadata"].get("labels", {})
        assert labels.get("app.kubernetes.io/part-of") == "clinic-assistant", \
            f"{name}: {obj['kind']} {obj['metadata']['name']}"


def test_the_kustomization_applies_every_manifest_but_the_optional_ones():
    listed = kustomization()["resources"]
    assert len(listed) == len(set(listed))
    for name in listed:
        assert (K8S / name).is_file(), f"kustomization.yaml lists {name}, which does not exist"
    assert set(manifests()) - set(listed) == OPTIONAL_FILES
    assert kustomization()["namespace"] == named("Namespace", "clinic-assistant")["metadata"]["name"]
    assert [image["name"] for image in kustomization()["images"]] == [IMAGE]
    # The real Secret is never applied from the repository.
    assert not of_kind("Secret")
    # The order of a first install (docs/deploy.md): prepare, then setup, then serve.
    for obj in applied():
        assert obj["metadata"]["labels"].get(PHASE_LABEL) in PHASES, obj["metadata"]["name"]
    assert {o["metadata"]["labels"][PHASE_LABEL] for o in of_kind("Job")} == {"setup"}
    for kind in ("Namespace", "ConfigMap"):
        assert {o["metadata"]["labels"][PHASE_LABEL] for o in of_kind(kind)} == {"prepare"}
    for obj, container in our_containers():
        if obj["kind"] != "Job":
            assert obj["metadata"]["labels"][PHASE_LABEL] == "serve", obj["metadata"]["name"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_builds_the_same_objects():
    built = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True,
                           timeout=60, check=True).stdout
    objects = [doc for doc in yaml.safe_load_all(built) if doc]
    assert sorted((o["kind"], o["metadata"]["name"]) for o in objects) == \
        sorted((o["kind"], o["metadata"]["name"]) for o in applied())
    image = kustomization()["images"][0]
    for obj in objects:
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == kustomization()["namespace"]
        if obj["kind"] in WORKLOADS:
            for container in containers(obj):
                assert not ours(container), f"{container['image']} was not retagged"
                if container["image"].startswith(image["newName"]):
                    assert container["image"] == f"{image['newName']}:{image['newTag']}"


def test_every_container_has_an_image_resources_probes_and_a_locked_down_security_context():
    workloads = [(name, o) for name, o in every_object() if o["kind"] in WORKLOADS]
    assert {o["metadata"]["name"] for _, o in workloads} >= {
        "rasa", "actions", "staff", "assistant-setup", "assistant-purge", "postgres", "redis"}
    for name, obj in workloads:
        pod = pod_template(obj)["spec"]
        where = f"{name}: {obj['kind']} {obj['metadata']['name']}"
        assert pod["securityContext"]["runAsNonRoot"] is True, where
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", where
        assert pod.get("automountServiceAccountToken") is False, where
        mounts_needed = {v["name"] for v in pod.get("volumes", [])}
        for container in containers(obj):
            at = f"{where}, container {container['name']}"
            assert container.get("image"), at
            resources = container["resources"]
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources[kind]), f"{at}: {kind}"
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, at
            assert security["readOnlyRootFilesystem"] is True, at
            assert security["capabilities"]["drop"] == ["ALL"], at
            if obj["kind"] in SERVERS:
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    assert probe in container, f"{at}: no {probe}"
            mounted = {m["mountPath"] for m in container.get("volumeMounts", [])}
            if ours(container):
                assert "/tmp" in mounted, f"{at}: /tmp is read-only"
                assert pod["securityContext"]["runAsUser"] == APP_UID, at
            mounts_needed -= {m["name"] for m in container.get("volumeMounts", [])}
        assert not mounts_needed, f"{where}: volumes mounted nowhere: {mounts_needed}"


def test_probes_use_the_processes_health_checks_and_allow_rasa_to_load_its_model():
    paths = {"rasa": "/", "actions": "/health", "staff": "/healthz"}
    for obj, container in our_containers():
        name = process(container)
        if name not in paths:
            continue
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert container["readinessProbe"]["httpGet"]["path"] == paths[name], name
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert container[probe]["httpGet"]["port"] in ports, f"{name} {probe}"
    rasa = named("StatefulSet", "rasa")["spec"]["template"]["spec"]["containers"][0]
    startup = rasa["startupProbe"]
    allowed = startup.get("initialDelaySeconds", 0) + startup["periodSeconds"] * startup["failureThreshold"]
    assert allowed >= 180, "Rasa needs 45-60 s to load the model; allow it plenty"
    memory = rasa["resources"]["requests"]["memory"]
    assert memory.endswith("Mi") and int(memory[:-2]) >= 1536, memory


def test_environment_variables_set_are_ones_the_code_reads():
    known = variables_the_code_reads() | library_variables()
    objects = [o for _, o in every_object()]
    for obj, container in our_containers(objects):
        for name in environment(container):
            assert name in known, (f"{obj['metadata']['name']} sets {name}, which nothing in "
                                   "bot/, actions/, endpoints.yml or credentials.yml reads")
    for name in config_data():
        assert name in known, f"configmap.yaml: {name} is read by nothing"
    for name in secret_data():
        assert name in known or name == "POSTGRES_PASSWORD", f"secret.example.yaml: {name}"


def test_each_process_gets_the_variables_it_requires():
    seen = set()
    for obj, container in our_containers():
        name = process(container)
        seen.add(name)
        env = environment(container)
        missing = REQUIRED[name] - {k for k, v in env.items() if v is not None}
        assert not missing, f"{obj['metadata']['name']} lacks {sorted(missing)}"
        # Secrets come from the Secret, never from the ConfigMap or a literal value.
        for item in container.get("env", []):
            if item["name"] in ("DATABASE_URL", "STAFF_SECRET_KEY", "RASA_API_TOKEN",
                                "SMTP_PASSWORD", "ESCALATION_WEBHOOK_SECRET"):
                assert "secretKeyRef" in item.get("valueFrom", {}), item["name"]
    assert seen == set(REQUIRED)
    assert not {"DATABASE_URL", "STAFF_SECRET_KEY"} & set(config_data())


def test_secret_and_config_references_resolve():
    for obj, container in our_containers([o for _, o in every_object()]):
        for item in container.get("env", []):
            ref = item.get("valueFrom", {}).get("secretKeyRef")
            if ref is not None and not ref.get("optional"):
                assert ref["key"] in secret_data(), f"{item['name']}: {ref['key']} not in the Secret"
    postgres = named("StatefulSet", "postgres")["spec"]["template"]["spec"]["containers"][0]
    keys = [i["valueFrom"]["secretKeyRef"]["key"] for i in postgres["env"] if "valueFrom" in i]
    assert set(keys) <= set(secret_data())


def test_the_secret_holds_only_placeholders():
    secrets = [o for _, o in every_object() if o["kind"] == "Secret"]
    assert secrets
    for secret in secrets:
        values = dict(secret.get("stringData") or {})
        assert not secret.get("data"), "base64 data hides what is in it: use stringData"
        for key, value in values.items():
            assert PLACEHOLDER in str(value), f"{key} holds a value that is not a placeholder"
    # Optional secrets stay out of the example: a placeholder would switch a channel on.
    for obj, container in our_containers([o for _, o in every_object()]):
        for item in container.get("env", []):
            ref = item.get("valueFrom", {}).get("secretKeyRef")
            if ref is not None and ref.get("optional"):
                assert ref["key"] not in secret_data(), ref["key"]
    assert {"DATABASE_URL", "STAFF_SECRET_KEY"} <= set(secret_data())
    staff = named("Deployment", "staff")["spec"]["template"]["spec"]["containers"][0]
    assert PLACEHOLDER in command_line(staff), "the staff app must refuse the placeholder key"


def test_services_select_pods_and_target_their_ports():
    services = of_kind("Service")
    assert {s["metadata"]["name"] for s in services} >= {"rasa", "actions", "staff", "postgres", "redis"}
    workloads = [o for o in applied() if o["kind"] in SERVERS]
    for service in services:
        selector = service["spec"]["selector"]
        matches = [w for w in workloads if selector.items() <= pod_template(w)["metadata"]["labels"].items()]
        assert matches, f"Service {service['metadata']['name']} selects no pods"
        for workload in matches:
            assert workload["spec"]["selector"]["matchLabels"].items() <= \
                pod_template(workload)["metadata"]["labels"].items()
            ports = [p for c in containers(workload) for p in c.get("ports", [])]
            for port in service["spec"]["ports"]:
                target = port.get("targetPort", port["port"])
                assert any(target in (p.get("name"), p["containerPort"]) for p in ports), \
                    f"Service {service['metadata']['name']} targets {target}, not a container port"
    for obj, container in our_containers():
        declared = {p["containerPort"] for p in container.get("ports", [])}
        flags = re.findall(r"--port\s+(\d+)|rasa_command\([^,]+,\s*(\d+)", command_line(container))
        for port in {int(a or b) for a, b in flags}:
            assert port in declared, f"{obj['metadata']['name']} listens on {port}, not declared"
    for stateful in of_kind("StatefulSet"):
        governing = named("Service", stateful["spec"]["serviceName"])
        assert governing["spec"].get("clusterIP") == "None"


def _service_port(host: str, port: int) -> None:
    service = named("Service", host)
    assert port in [p["port"] for p in service["spec"]["ports"]], f"{host}:{port}"


def test_urls_in_the_settings_point_at_the_services():
    action = urlparse(config_data()["ACTION_ENDPOINT_URL"])
    _service_port(action.hostname, action.port)
    assert action.path == "/webhook"  # rasa_sdk's endpoint
    redis = urlparse(config_data()["REDIS_URL"])
    assert redis.scheme == "redis"
    _service_port(redis.hostname, redis.port)
    database = urlparse(secret_data()["DATABASE_URL"])
    assert database.scheme.startswith("postgresql")
    _service_port(database.hostname, database.port)
    postgres = named("StatefulSet", "postgres")["spec"]["template"]["spec"]["containers"][0]
    env = {i["name"]: i.get("value") for i in postgres["env"]}
    assert database.username == env["POSTGRES_USER"] and database.path == "/" + env["POSTGRES_DB"]


def test_commands_name_real_modules_and_subcommands():
    from bot.cli import build_parser

    subcommands = set()
    for obj, container in our_containers([o for _, o in every_object()]):
        line = command_line(container)
        for module, rest in re.findall(r"python -m ([\w.]+)([^\n;]*)", line):
            assert importlib.util.find_spec(module) is not None, f"no module {module}"
            arguments = shlex.split(rest)
            if module == "bot.cli":
                try:
                    parsed = build_parser().parse_args(arguments)
                except SystemExit:
                    raise AssertionError(f"bot.cli cannot parse {arguments}") from None
                subcommands.add(parsed.command)
            elif module == "bot.staff":
                source = (ROOT / "bot" / "staff" / "__main__.py").read_text(encoding="utf-8")
                for flag in arguments[::2]:
                    assert f'"{flag}"' in source, f"bot.staff has no {flag}"
                assert "--host" in arguments, "bot.staff listens on 127.0.0.1 by default"
            elif module == "rasa_sdk":
                actions = arguments[arguments.index("--actions") + 1]
                assert importlib.util.find_spec(actions) is not None
        for module, name in re.findall(r"from ([\w.]+) import (\w+)", line):
            assert hasattr(importlib.import_module(module), name), f"{module}.{name}"
    assert {"setup", "purge"} <= subcommands
    assert process(named("Job", "assistant-setup")["spec"]["template"]["spec"]["containers"][0]) == "cli"


def test_rasa_is_a_stateful_set_with_a_spool_volume_per_pod():
    rasa = named("StatefulSet", "rasa")
    assert rasa["spec"]["replicas"] >= 2
    templates = {t["metadata"]["name"] for t in rasa["spec"]["volumeClaimTemplates"]}
    container = rasa["spec"]["template"]["spec"]["containers"][0]
    spool = Path(environment(container)["ESCALATION_SPOOL_DIR"])
    on_claims = [m for m in container["volumeMounts"] if m["name"] in templates]
    assert any(spool == Path(m["mountPath"]) or Path(m["mountPath"]) in spool.parents
               for m in on_claims), "the escalation spool must be on the pod's own volume"
    mounted = {m["mountPath"] for m in container["volumeMounts"]}
    assert {"/tmp", "/app/.rasa"} <= mounted
    budgets = [b for b in of_kind("PodDisruptionBudget")
               if b["spec"]["selector"]["matchLabels"] == rasa["spec"]["selector"]["matchLabels"]]
    assert len(budgets) == 1
    assert not any(process(c) == "rasa" for d in of_kind("Deployment") for c in containers(d)
                   if ours(c)), "Rasa runs as the StatefulSet only"


def test_only_rasa_webhooks_and_socket_io_are_public_with_sticky_socket_io():
    ingresses = of_kind("Ingress")
    routes = {}
    for ingress in ingresses:
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                ports = named("Service", backend["name"])["spec"]["ports"]
                wanted = backend["port"].get("name", backend["port"].get("number"))
                assert any(wanted in (p.get("name"), p["port"]) for p in ports), backend
                routes[path["path"]] = (ingress, backend["name"])
    assert set(routes) == {"/webhooks", "/socket.io"}
    assert {service for _, service in routes.values()} == {"rasa"}
    socketio = routes["/socket.io"][0]["metadata"]["annotations"]
    assert socketio.get("nginx.ingress.kubernetes.io/upstream-hash-by") \
        or socketio.get("nginx.ingress.kubernetes.io/affinity") == "cookie"
    assert named("Service", "rasa")["spec"]["sessionAffinity"] == "ClientIP"
    staff = named("Service", "staff")
    assert staff["spec"].get("type", "ClusterIP") == "ClusterIP"
    for service in of_kind("Service"):
        assert service["spec"].get("type", "ClusterIP") == "ClusterIP", service["metadata"]["name"]
    internal = named("Ingress", "staff-internal")
    assert "nginx.ingress.kubernetes.io/whitelist-source-range" in internal["metadata"]["annotations"]


# --- the Dockerfile ---------------------------------------------------------------------

def dockerfile_instructions() -> List[Tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
            for line in joined.splitlines() if line.strip()]


def dockerignore_patterns() -> List[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(path: str, patterns: List[str]) -> bool:
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        if pattern.startswith("**/"):
            tails = ["/".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)]
            if any(fnmatch.fnmatchcase(tail, pattern[3:]) for tail in tails):
                return True
        elif any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
            return True
    return False


def makefile_train_command() -> List[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(\w+)\s*:?=\s*(.*)$", text, re.M))
    rule = re.search(r"^\$\(MODEL\):.*\n((?:\t.*\n)+)", text, re.M).group(1)
    command = re.sub(r"\\\n\s*", " ", rule).splitlines()[0].strip()
    command = command.replace("$(RASA)", "rasa").replace("$(TRAINING_DATA)", variables["TRAINING_DATA"])
    return shlex.split(command)


def test_dockerfile_copies_files_that_exist_and_are_not_ignored():
    patterns = dockerignore_patterns()
    copied = set()
    for instruction, rest in dockerfile_instructions():
        if instruction not in ("COPY", "ADD"):
            continue
        assert instruction == "COPY", "use COPY"
        arguments = [a for a in shlex.split(rest) if not a.startswith("--chown")]
        if arguments[0].startswith("--from="):
            continue
        for source in arguments[:-1]:
            assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"
            assert not ignored(source, patterns), f".dockerignore excludes {source}"
            copied.add(source.rstrip("/"))
    # What the processes read at run time (bot/settings.py, bot/schema.py, rasa_command).
    from bot.servers import rasa_command

    command = rasa_command("models/assistant.tar.gz", 5005, {})
    needed = {"bot", "actions", "data", "domain.yml", "clinic.yml", "config.yml",
              command[command.index("--endpoints") + 1], command[command.index("--credentials") + 1]}
    if (ROOT / "bot" / "schema.py").exists() and "alembic.ini" in (ROOT / "bot" / "schema.py").read_text():
        needed.add("alembic.ini")
    assert needed <= copied, f"not copied into the image: {needed - copied}"
    for secret_like in (".venv", "var", "models", ".git", "**/*.db"):
        assert secret_like in patterns


def test_dockerfile_installs_and_trains_as_the_makefile_does():
    instructions = dockerfile_instructions()
    froms = [rest for instruction, rest in instructions if instruction == "FROM"]
    assert froms[-1].startswith("python:3.10-slim"), "the last stage is the runtime image"
    assert any(rest.startswith("node:") and " AS widget" in rest for rest in froms)
    runs = " && ".join(rest for instruction, rest in instructions if instruction == "RUN")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for bound in re.findall(r'"(pip<\d+|setuptools<\d+)"', makefile):
        assert f'"{bound}"' in runs, bound
    assert re.search(r"pip install -q -r requirements.txt -c constraints.txt -c requirements.lock", runs)
    assert "npm ci --no-audit --no-fund" in runs and "node build.mjs" in runs
    train = makefile_train_command()
    step = next(part for part in re.split(r"\s*&&\s*", runs) if part.strip().startswith("rasa train"))
    assert shlex.split(step) == train, f"Dockerfile: {step}\nMakefile: {' '.join(train)}"
    model = f"{train[train.index('--out') + 1]}/{train[train.index('--fixed-model-name') + 1]}.tar.gz"
    rasa = named("StatefulSet", "rasa")["spec"]["template"]["spec"]["containers"][0]
    assert f'rasa_command("{model}"' in command_line(rasa)
    users = [rest for instruction, rest in instructions if instruction == "USER"]
    assert users and users[-1].split(":")[0] == str(APP_UID)
    entrypoint = [rest for instruction, rest in instructions if instruction == "ENTRYPOINT"]
    assert entrypoint and "tini" in entrypoint[-1]
    for obj, container in our_containers([o for _, o in every_object()]):
        assert "command" not in container, \
            f"{obj['metadata']['name']}: `command` would bypass tini; use args"
    env = " ".join(rest for instruction, rest in instructions if instruction == "ENV")
    assert "PYTHONPATH=/app" in env and "RASA_TELEMETRY_ENABLED=false" in env


# --- docs/deploy.md -----------------------------------------------------------------------

def documented_variables() -> Set[str]:
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", text, re.M))


def test_the_deployment_guide_documents_every_variable_and_only_real_ones():
    documented = documented_variables()
    known = variables_the_code_reads() | library_variables()
    assert not documented - known, f"documented but read by nothing: {documented - known}"
    set_here = {name for _, c in our_containers([o for _, o in every_object()]) for name in environment(c)}
    assert not set_here - documented, f"set by the manifests, not documented: {set_here - documented}"
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    for name in kustomization()["resources"] + sorted(OPTIONAL_FILES):
        assert name in text, f"docs/deploy.md does not mention {name}"
    assert "kubectl apply -k deploy/kubernetes" in text
    assert "docs/performance.md" in text or "performance.md" in text
