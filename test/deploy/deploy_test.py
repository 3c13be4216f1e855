"""Deployment (issue #9): the Kubernetes manifests under deploy/kubernetes, the Dockerfile, and
`argus sidecar` run with exactly the arguments prometheus-operator gives its thanos-sidecar
container (docs/kube-prometheus-stack.md).

Manifests: every overlay renders with `kubectl kustomize` (kubectl from PATH, or $KUBECTL; a
missing kubectl is an error, not a skip), the sources and the rendered output pass yamllint
(the repository's .yamllint), and the rendered objects hold what the deployment needs: each
cluster's external labels in its server configuration, the objstore Secret mounted where the
server's and the store gateway's flags read it, the ALB's gRPC annotations, the querier's
endpoints. Then every argus container of the rendered pods runs here as a kubelet would run it
(volumes from the rendered ConfigMaps and Secrets, the init container, env and $(VAR) expansion,
listen addresses moved to free local ports) and must pass its readiness probe.

Sidecar: a real Prometheus 2.42 (/usr/bin/prometheus) as prometheus-operator runs it (equal
min/max block durations, external labels) and `$ARGUS_BIN sidecar` with the operator's argument
list, local values substituted: it must become ready, upload Prometheus's blocks to the
FILESYSTEM bucket given through $(OBJSTORE_CONFIG) and answer thanos Info and Series over gRPC.

Run: ARGUS_BIN=... /usr/bin/python3 -m unittest -v deploy_test (from this directory)."""

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "storeapi"))

import thanos_client as tc  # noqa: E402
from harness import ARGUS, HOUR, free_port, wait_http  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEPLOY = os.path.join(REPO, "deploy", "kubernetes")
KUBECTL = os.environ.get("KUBECTL", "kubectl")
YAMLLINT = ["yamllint", "--strict", "-f", "parsable", "-c", os.path.join(REPO, ".yamllint")]

# What the overlays must render.
NAMESPACE = "monitoring"
IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/argus:0.1.0"
CLUSTERS = {
    "cluster-a-prod": {"labels": {"cluster": "cluster-a", "stage": "prod", "region": "us-east-1"},
                       "host": "cluster-a.prometheus.example.net", "retention": "7d"},
    "cluster-b-prod": {"labels": {"cluster": "cluster-b", "stage": "prod", "region": "eu-west-1"},
                       "host": "cluster-b.prometheus.example.net", "retention": "10d"},
}
OBSERVER = "observer"
# The one bucket every cluster uploads to and the store gateway reads (the seed's).
BUCKET = {"bucket": "prod-metrics-storage", "endpoint": "s3.us-east-1.amazonaws.com",
          "region": "us-east-1", "sse_config": {"type": "SSE-S3"}}
# The seed's shared ALB annotations (listen-ports is compared as JSON).
ALB_ANNOTATIONS = {
    "external-dns/zone": "private",
    "alb.ingress.kubernetes.io/scheme": "internal",
    "alb.ingress.kubernetes.io/backend-protocol-version": "GRPC",
    "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
}
RUN_AS = 65534  # the Dockerfile's USER and the pods' runAsUser

# A FILESYSTEM bucket stands in for S3 where a process must actually use the bucket here.
FILESYSTEM_BUCKET = "type: FILESYSTEM\nconfig:\n  directory: %s\n"


def need_argus():
    if not ARGUS:
        raise unittest.SkipTest("ARGUS_BIN is not set")


def need_tool(name, hint):
    if shutil.which(name) is None:
        raise AssertionError("%s not found on PATH: %s" % (name, hint))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def kubelet_expand(text, env):
    """$(VAR) references as the kubelet expands them in command and args: defined variables
    are replaced, $$ is a literal $, anything else stays as written."""
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                  lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), text)


class Processes:
    """Child processes with their output in files under `dir`; stop() ends them all."""

    def __init__(self, directory):
        self.dir = directory
        self.procs = []

    def start(self, args, name, env=None):
        log = os.path.join(self.dir, name + ".log")
        with open(log, "wb") as f:
            p = subprocess.Popen(args, stdout=f, stderr=subprocess.STDOUT, env=env)
        p.log = log
        self.procs.append(p)
        return p

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []


def log_tail(p, n=40):
    try:
        return "".join(read(p.log).splitlines(True)[-n:])
    except OSError:
        return ""


def wait_ready(url, p, timeout=60):
    try:
        wait_http(url, timeout=timeout, proc=p)
    except AssertionError as e:
        raise AssertionError("%s\n--- %s:\n%s" % (e, os.path.basename(p.log), log_tail(p)))


def http_get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.read().decode()


# --- The rendered manifests ---

def render(overlay):
    """`kubectl kustomize` of an overlay: (text, [objects])."""
    run = subprocess.run([KUBECTL, "kustomize", os.path.join(DEPLOY, "overlays", overlay)],
                         capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        raise AssertionError("kubectl kustomize overlays/%s failed:\n%s" % (overlay, run.stderr))
    return run.stdout, [d for d in yaml.safe_load_all(run.stdout) if d]


def objects(docs, kind, name=None):
    """The objects of a kind; with `name`, those named so or generated from it (name-hash)."""
    out = [d for d in docs if d["kind"] == kind]
    if name is not None:
        out = [d for d in out if d["metadata"]["name"] == name or
               re.fullmatch(re.escape(name) + r"-[a-z0-9]{10}", d["metadata"]["name"])]
    return out


def one(docs, kind, name):
    found = objects(docs, kind, name)
    if len(found) != 1:
        raise AssertionError("expected one %s %s, found %d" % (kind, name, len(found)))
    return found[0]


def named(docs, kind, exact):
    for d in docs:
        if d["kind"] == kind and d["metadata"]["name"] == exact:
            return d
    raise AssertionError("no %s named %s" % (kind, exact))


def container(pod_spec, name="argus"):
    for c in pod_spec["containers"]:
        if c["name"] == name:
            return c
    raise AssertionError("no container %s" % name)


def secret_data(secret):
    return {k: base64.b64decode(v).decode() for k, v in secret.get("data", {}).items()}


def objstore_wiring(test, docs, workload):
    """Checks that `workload`'s argus container reads the generated objstore Secret through
    --objstore.config-file; returns the Secret's thanos.yaml, parsed."""
    spec = workload["spec"]["template"]["spec"]
    c = container(spec)
    secret = one(docs, "Secret", "thanos-objstore-config")
    volumes = [v for v in spec["volumes"]
               if v.get("secret", {}).get("secretName") == secret["metadata"]["name"]]
    test.assertEqual(len(volumes), 1, "%s mounts no volume of Secret %s" %
                     (workload["metadata"]["name"], secret["metadata"]["name"]))
    mounts = [m for m in c["volumeMounts"] if m["name"] == volumes[0]["name"]]
    test.assertEqual(len(mounts), 1)
    flag = "--objstore.config-file=%s/thanos.yaml" % mounts[0]["mountPath"].rstrip("/")
    test.assertIn(flag, c["args"])
    test.assertIn("thanos.yaml", secret_data(secret))
    return yaml.safe_load(secret_data(secret)["thanos.yaml"])


class Pod:
    """Runs a rendered pod template's containers here, as a kubelet would: each volume a
    directory (ConfigMaps and Secrets written out, `secret_overrides` {secret name: {key:
    text}} replacing Secret data), mount paths in command and args pointed at those directories,
    env and envFrom resolved, $(VAR) expanded, init containers run to completion with /bin/sh,
    then the containers started with `argus` as the image's entrypoint, every container port
    moved to a free local port (its 0.0.0.0:PORT listen address with it)."""

    def __init__(self, docs, workload, procs, name, secret_overrides=None):
        self.docs = docs
        self.spec = workload["spec"]["template"]["spec"]
        self.procs = procs
        self.pod_name = name
        self.root = tempfile.mkdtemp(prefix=name + "-", dir=procs.dir)
        self.dirs = {}
        for v in self.spec.get("volumes", []):
            self.dirs[v["name"]] = self._volume(v, secret_overrides or {})
        for t in workload["spec"].get("volumeClaimTemplates", []):
            self.dirs[t["metadata"]["name"]] = self._dir("pvc-" + t["metadata"]["name"])
        self.ports = {}  # container port name (and number, as a string) -> local port

    def _dir(self, name):
        d = os.path.join(self.root, name)
        os.makedirs(d, exist_ok=True)
        return d

    def _volume(self, v, overrides):
        d = self._dir(v["name"])
        if "configMap" in v:
            data = named(self.docs, "ConfigMap", v["configMap"]["name"]).get("data", {})
        elif "secret" in v:
            secret = named(self.docs, "Secret", v["secret"]["secretName"])
            data = secret_data(secret)
            for base, replacement in overrides.items():
                if secret["metadata"]["name"].startswith(base):
                    data.update(replacement)
        else:
            data = {}  # emptyDir
        for key, text in data.items():
            with open(os.path.join(d, key), "w") as f:
                f.write(text)
        return d

    def _env(self, c):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
        for ref in c.get("envFrom", []):
            kind, r = ("ConfigMap", ref["configMapRef"]) if "configMapRef" in ref \
                else ("Secret", ref["secretRef"])
            found = [d for d in self.docs
                     if d["kind"] == kind and d["metadata"]["name"] == r["name"]]
            if not found:
                if r.get("optional"):
                    continue
                raise AssertionError("%s %s (envFrom) is not rendered" % (kind, r["name"]))
            env.update(secret_data(found[0]) if kind == "Secret" else found[0].get("data", {}))
        for e in c.get("env", []):
            if "value" in e:
                env[e["name"]] = kubelet_expand(e["value"], env)
            elif e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "metadata.name":
                env[e["name"]] = self.pod_name
            else:
                raise AssertionError("env %s: not simulated here" % e["name"])
        return env

    def _localize(self, text, c):
        mounts = sorted(c.get("volumeMounts", []), key=lambda m: -len(m["mountPath"]))
        for m in mounts:
            text = text.replace(m["mountPath"].rstrip("/"), self.dirs[m["name"]])
        for p in c.get("ports", []):
            local = self.ports[str(p["containerPort"])]
            text = text.replace("0.0.0.0:%d" % p["containerPort"], "127.0.0.1:%d" % local)
        return text

    def _argv(self, c, env):
        command = c.get("command") or [ARGUS]
        return [kubelet_expand(self._localize(a, c), env) for a in command + c.get("args", [])]

    def run_init(self, test, **env_overrides):
        """Runs the init containers in order; the last one's completed process."""
        run = None
        for c in self.spec.get("initContainers", []):
            env = dict(self._env(c), **env_overrides)
            run = subprocess.run(self._argv(c, env), env=env, capture_output=True, text=True,
                                 timeout=60)
            if env_overrides:
                return run
            test.assertEqual(run.returncode, 0, "init container %s failed:\n%s" %
                             (c["name"], run.stderr))
        return run

    def run(self, test):
        """Runs the init containers, starts the containers and waits for their readiness and
        liveness probes; returns {container name: process}."""
        self.run_init(test)
        started = {}
        for c in self.spec["containers"]:
            for p in c.get("ports", []):
                local = free_port()
                self.ports[str(p["containerPort"])] = local
                self.ports[p.get("name", str(p["containerPort"]))] = local
            env = self._env(c)
            started[c["name"]] = self.procs.start(self._argv(c, env),
                                                  "%s-%s" % (self.pod_name, c["name"]), env)
        for c in self.spec["containers"]:
            for probe in ("readinessProbe", "livenessProbe"):
                get = c[probe]["httpGet"]
                wait_ready("http://127.0.0.1:%d%s" % (self.ports[str(get["port"])], get["path"]),
                           started[c["name"]])
        return started

    def url(self, port_name):
        return "http://127.0.0.1:%d" % self.ports[port_name]


class Manifests(unittest.TestCase):
    """The kustomize overlays under deploy/kubernetes."""

    @classmethod
    def setUpClass(cls):
        need_tool(KUBECTL, "the manifests are rendered with `kubectl kustomize`; on Debian 12 "
                  "install kubernetes-client (apt-get install kubernetes-client)")
        need_tool("yamllint", "scripts/deps.sh installs Debian's yamllint")
        cls.dir = tempfile.mkdtemp(prefix="argus-deploy-")
        cls.rendered, cls.docs = {}, {}
        for overlay in list(CLUSTERS) + [OBSERVER]:
            text, docs = render(overlay)
            path = os.path.join(cls.dir, overlay + ".yaml")
            with open(path, "w") as f:
                f.write(text)
            cls.rendered[overlay], cls.docs[overlay] = path, docs

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def setUp(self):
        self.procs = Processes(self.dir)
        self.addCleanup(self.procs.stop)

    def yamllint(self, paths):
        run = subprocess.run(YAMLLINT + paths, capture_output=True, text=True, cwd=REPO)
        self.assertEqual(run.returncode, 0, "yamllint:\n" + run.stdout + run.stderr)

    def test_yamllint_sources(self):
        self.yamllint(["deploy", ".yamllint"])

    def test_yamllint_rendered(self):
        self.yamllint(sorted(self.rendered.values()))

    def test_every_object_in_namespace_and_image_set(self):
        for overlay, docs in self.docs.items():
            for d in docs:
                if d["kind"] != "Namespace":
                    self.assertEqual(d["metadata"].get("namespace"), NAMESPACE,
                                     "%s: %s %s" % (overlay, d["kind"], d["metadata"]["name"]))
            for w in objects(docs, "StatefulSet") + objects(docs, "Deployment"):
                spec = w["spec"]["template"]["spec"]
                self.assertEqual(spec["securityContext"]["runAsUser"], RUN_AS)
                self.assertTrue(spec["securityContext"]["runAsNonRoot"])
                for c in spec.get("initContainers", []) + spec["containers"]:
                    self.assertEqual(c["image"], IMAGE, "%s: %s" % (overlay, c["name"]))
                    self.assertFalse(c["securityContext"]["allowPrivilegeEscalation"])
                    self.assertTrue(c["securityContext"]["readOnlyRootFilesystem"])

    def test_cluster_external_labels(self):
        """The overlay's labels, filled into the configuration by the init container as the pod
        runs it, make the server's external_labels."""
        for overlay, want in CLUSTERS.items():
            docs = self.docs[overlay]
            labels = one(docs, "ConfigMap", "argus-external-labels")["data"]
            self.assertEqual(labels, {k.upper(): v for k, v in want["labels"].items()})
            sts = one(docs, "StatefulSet", "argus-server")
            pod = Pod(docs, sts, self.procs, "argus-server-0")
            pod.run_init(self)
            config = read(os.path.join(pod.dirs["config"], "prometheus.yml"))
            self.assertNotIn("${", re.sub(r"#[^\n]*", "", config))
            got = yaml.safe_load(config)["global"]["external_labels"]
            self.assertEqual(got, dict(want["labels"], prometheus_replica="argus-server-0"))
            # The flag reads the file the init container wrote.
            mount = [m for m in container(sts["spec"]["template"]["spec"])["volumeMounts"]
                     if m["name"] == "config"][0]["mountPath"]
            self.assertIn("--config.file=%s/prometheus.yml" % mount,
                          container(sts["spec"]["template"]["spec"])["args"])

    def test_empty_external_label_stops_the_pod(self):
        docs = self.docs["cluster-a-prod"]
        sts = one(docs, "StatefulSet", "argus-server")
        pod = Pod(docs, sts, self.procs, "argus-server-0")
        run = pod.run_init(self, REGION="")
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("external label value", run.stderr)
        self.assertFalse(os.path.exists(os.path.join(pod.dirs["config"], "prometheus.yml")))

    def test_server_args(self):
        for overlay, want in CLUSTERS.items():
            sts = one(self.docs[overlay], "StatefulSet", "argus-server")
            args = container(sts["spec"]["template"]["spec"])["args"]
            self.assertEqual(args[0], "server")
            for flag in ("--storage.tsdb.retention.time=" + want["retention"],
                         "--grpc-address=0.0.0.0:10901",
                         "--storage.tsdb.min-block-duration=2h",
                         "--storage.tsdb.max-block-duration=2h"):
                self.assertIn(flag, args, overlay)
            self.assertEqual(len([a for a in args if "retention.time" in a]), 1)
            self.assertEqual(sts["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]
                             ["requests"]["storage"], "30Gi")

    def test_objstore_secret_wiring(self):
        """The Secret from each overlay's thanos-config.yaml is what the server (clusters) and
        the store gateway (observer) read, and every one names the same bucket."""
        for overlay, want in CLUSTERS.items():
            docs = self.docs[overlay]
            cfg = objstore_wiring(self, docs, one(docs, "StatefulSet", "argus-server"))
            self.assertEqual(cfg["type"].upper(), "S3")
            self.assertEqual(cfg["config"], BUCKET, overlay)
        docs = self.docs[OBSERVER]
        cfg = objstore_wiring(self, docs, one(docs, "StatefulSet", "argus-store"))
        self.assertEqual(cfg["type"].upper(), "S3")
        self.assertEqual(cfg["config"], BUCKET)
        self.assertEqual(cfg["config"]["endpoint"], "s3.%s.amazonaws.com" % cfg["config"]["region"])

    def test_grpc_ingress(self):
        for overlay, want in CLUSTERS.items():
            docs = self.docs[overlay]
            ing = one(docs, "Ingress", "argus-server-grpc")
            ann = ing["metadata"]["annotations"]
            for k, v in ALB_ANNOTATIONS.items():
                self.assertEqual(ann.get(k), v, "%s: %s" % (overlay, k))
            self.assertEqual(json.loads(ann["alb.ingress.kubernetes.io/listen-ports"]),
                             [{"HTTPS": 443}])
            self.assertEqual(ann["external-dns.alpha.kubernetes.io/hostname"], want["host"])
            self.assertRegex(ann["alb.ingress.kubernetes.io/certificate-arn"],
                             r"^arn:aws:acm:%s:\d{12}:certificate/" % want["labels"]["region"])
            self.assertEqual(ing["spec"]["ingressClassName"], "alb")
            self.assertNotIn("kubernetes.io/ingress.class", ann)
            rules = ing["spec"]["rules"]
            self.assertEqual([r["host"] for r in rules], [want["host"]])
            backend = rules[0]["http"]["paths"][0]["backend"]["service"]
            # The backend is the server's gRPC port.
            svc = named(docs, "Service", backend["name"])
            port = [p for p in svc["spec"]["ports"] if p["name"] == backend["port"]["name"]][0]
            self.assertEqual(port["port"], 10901)
            sts = one(docs, "StatefulSet", "argus-server")
            self.assertEqual(svc["spec"]["selector"],
                             sts["spec"]["template"]["metadata"]["labels"])
            ports = {p["name"]: p["containerPort"]
                     for p in container(sts["spec"]["template"]["spec"])["ports"]}
            self.assertEqual(ports[port["targetPort"]], 10901)
            sa = named(docs, "ServiceAccount",
                       sts["spec"]["template"]["spec"]["serviceAccountName"])
            self.assertIn("eks.amazonaws.com/role-arn", sa["metadata"]["annotations"])

    def test_query_endpoints(self):
        docs = self.docs[OBSERVER]
        remote = container(one(docs, "Deployment", "argus-query-clusters")["spec"]["template"]
                           ["spec"])["args"]
        self.assertEqual(remote[0], "query")
        self.assertIn("--grpc-client-tls-secure", remote)
        # Every cluster's ingress host, on the ALB's HTTPS listener.
        hosts = [one(self.docs[o], "Ingress", "argus-server-grpc")["spec"]["rules"][0]["host"]
                 for o in CLUSTERS]
        self.assertEqual(sorted(a for a in remote if a.startswith("--endpoint=")),
                         sorted("--endpoint=%s:443" % h for h in hosts))
        glob = container(one(docs, "Deployment", "argus-query")["spec"]["template"]["spec"])["args"]
        self.assertEqual(glob[0], "query")
        self.assertNotIn("--grpc-client-tls-secure", glob)
        for label in ("prometheus_replica", "replica"):
            self.assertIn("--query.replica-label=" + label, glob)
        # Its endpoints are the SRV records of rendered headless Services with a grpc port.
        endpoints = sorted(a.split("=", 1)[1] for a in glob if a.startswith("--endpoint="))
        services = []
        for e in endpoints:
            m = re.fullmatch(r"dnssrv\+_grpc\._tcp\.([a-z0-9-]+)\.([a-z0-9-]+)"
                             r"\.svc\.cluster\.local", e)
            self.assertIsNotNone(m, e)
            self.assertEqual(m.group(2), NAMESPACE)
            svc = named(docs, "Service", m.group(1))
            self.assertEqual(svc["spec"].get("clusterIP"), "None")
            self.assertIn("grpc", [p["name"] for p in svc["spec"]["ports"]])
            services.append(m.group(1))
        self.assertEqual(sorted(services), ["argus-query-clusters", "argus-store"])
        store = one(docs, "StatefulSet", "argus-store")
        self.assertEqual(named(docs, "Service", "argus-store")["spec"]["selector"],
                         store["spec"]["template"]["metadata"]["labels"])

    def test_flags_exist(self):
        """Every flag an argus container is given is one its subcommand (or argus) takes."""
        need_argus()
        helps = {}
        for overlay, docs in self.docs.items():
            for w in objects(docs, "StatefulSet") + objects(docs, "Deployment"):
                for c in w["spec"]["template"]["spec"]["containers"]:
                    sub = c["args"][0]
                    if sub not in helps:
                        helps[sub] = subprocess.run([ARGUS, sub, "--help"], capture_output=True,
                                                    text=True, check=True).stdout + \
                            subprocess.run([ARGUS, "--help"], capture_output=True, text=True,
                                           check=True).stdout
                    for a in c["args"][1:]:
                        flag = a.split("=", 1)[0]
                        self.assertRegex(helps[sub], r"(?<![\w-])%s(?![\w.-])" % re.escape(flag),
                                         "%s: argus %s has no %s" % (overlay, sub, flag))

    def run_pod(self, overlay, kind, name, overrides=None):
        docs = self.docs[overlay]
        w = one(docs, kind, name)
        pod = Pod(docs, w, self.procs, name + "-0", overrides)
        pod.run(self)
        return pod

    def test_rendered_pods_become_ready(self):
        """Every argus workload as rendered, run here: ready and healthy. The bucket is a local
        FILESYSTEM one (S3 is out of reach here)."""
        need_argus()
        bucket = os.path.join(self.dir, "bucket")
        os.makedirs(bucket, exist_ok=True)
        fs = {"thanos-objstore-config": {"thanos.yaml": FILESYSTEM_BUCKET % bucket}}
        for overlay, want in CLUSTERS.items():
            pod = self.run_pod(overlay, "StatefulSet", "argus-server", fs)
            status, body = http_get(pod.url("http") + "/api/v1/status/config")
            self.assertEqual(status, 200)
            loaded = yaml.safe_load(json.loads(body)["data"]["yaml"])
            self.assertEqual(loaded["global"]["external_labels"],
                             dict(want["labels"], prometheus_replica="argus-server-0"))
            self.procs.stop()
        self.run_pod(OBSERVER, "StatefulSet", "argus-store", fs)
        self.run_pod(OBSERVER, "Deployment", "argus-query-clusters")
        self.run_pod(OBSERVER, "Deployment", "argus-query")

    def test_server_opens_rendered_s3_bucket(self):
        """The server as rendered, with the overlay's real S3 objstore configuration."""
        need_argus()
        pod = self.run_pod("cluster-a-prod", "StatefulSet", "argus-server")
        self.assertEqual(http_get(pod.url("http") + "/-/ready")[0], 200)


# --- The Dockerfile ---

def dockerfile_stages():
    """[(FROM line, [instructions with continuations joined])] of the Dockerfile."""
    text = re.sub(r"\\\n", " ", read(os.path.join(REPO, "Dockerfile")))
    args, stages = {}, []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("ARG ") and not stages:
            k, _, v = line[4:].partition("=")
            args[k] = v
        elif line.startswith("FROM "):
            stages.append((re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), ""), line), []))
        elif stages:
            stages[-1][1].append(re.sub(r"\s+", " ", line))
    return stages


def apt_packages(instructions):
    pkgs = []
    for ins in instructions:
        for m in re.finditer(r"apt-get install ([^&]*)", ins):
            pkgs += [t for t in m.group(1).split() if not t.startswith("-")]
    return pkgs


class Dockerfile(unittest.TestCase):
    """There is no Docker engine in CI: the Dockerfile is checked against what it must agree
    with instead (scripts/deps.sh, the libraries the binary links, the manifests)."""

    def test_build_stage_packages_are_deps_sh_packages(self):
        deps = read(os.path.join(REPO, "scripts", "deps.sh"))
        block = re.search(r"BUILD_PKGS=\((.*?)\)", deps, re.S).group(1)
        build_pkgs = set(re.sub(r"#[^\n]*", "", block).split())
        stages = dockerfile_stages()
        self.assertEqual(len(stages), 2)
        self.assertEqual(stages[0][0], "FROM debian:bookworm-slim AS build")
        pkgs = apt_packages(stages[0][1])
        self.assertTrue(pkgs)
        self.assertEqual(sorted(set(pkgs) - build_pkgs), [],
                         "packages the Dockerfile builds with that scripts/deps.sh lacks")
        self.assertIn("ninja-build", pkgs)
        self.assertTrue(any("-DCMAKE_BUILD_TYPE=Release" in i and "-G Ninja" in i
                            for i in stages[0][1]))

    def test_runtime_stage_has_every_linked_library(self):
        """Each shared library the binary needs comes from a package the runtime stage installs
        (the sanitizer runtimes only the debug build links excepted; libc6 is in the base)."""
        need_argus()
        pkgs = set(apt_packages(dockerfile_stages()[1][1])) | {"libc6"}
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]",
                            subprocess.run(["readelf", "-d", ARGUS], capture_output=True,
                                           text=True, check=True).stdout)
        paths = dict(re.findall(r"^\s*(\S+) => (\S+)", subprocess.run(
            ["ldd", ARGUS], capture_output=True, text=True, check=True).stdout, re.M))
        missing = []
        for lib in needed:
            if lib.startswith(("libasan.", "libubsan.")):
                continue
            owner = None
            for path in (paths.get(lib, ""), os.path.realpath(paths.get(lib, "/nonexistent"))):
                run = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
                if run.returncode == 0:
                    owner = run.stdout.split(":")[0]
                    break
            self.assertIsNotNone(owner, "no package owns %s" % lib)
            if owner not in pkgs:
                missing.append("%s (%s)" % (owner, lib))
        self.assertEqual(missing, [], "runtime stage lacks these packages")

    def test_runtime_stage(self):
        from_line, ins = dockerfile_stages()[1]
        self.assertEqual(from_line, "FROM debian:bookworm-slim")
        self.assertIn('ENTRYPOINT ["/usr/bin/argus"]', ins)
        self.assertIn("USER %d:%d" % (RUN_AS, RUN_AS), ins)
        exposed = set(" ".join(i[len("EXPOSE "):] for i in ins if i.startswith("EXPOSE ")).split())
        self.assertEqual(exposed, {"9090", "10901", "10902"})
        self.assertIn("COPY --from=build /src/build/release/src/cmd/argus /usr/bin/argus", ins)
        self.assertIn("ca-certificates", apt_packages(ins))
        ignore = read(os.path.join(REPO, ".dockerignore")).split()
        for entry in (".git", "build", "test/npm/node_modules"):
            self.assertIn(entry, ignore)


# --- argus sidecar as prometheus-operator runs it ---

# prometheus-operator v0.93.0 (commit 6adcebc5, pkg/prometheus/server/statefulset.go,
# createThanosContainer): the thanos-sidecar container's args for a Prometheus with
# spec.thanos.objectStorageConfig (a Secret key the operator passes through the env var
# OBJSTORE_CONFIG), spec.logLevel/logFormat set and a Thanos version >= 0.24 (the operator's
# default is v0.42.4), in the operator's order. It then runs Prometheus with
# --storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h.
OPERATOR_SIDECAR_ARGS = [
    "sidecar",
    "--prometheus.url=http://localhost:9090/",
    "--grpc-address=:10901",
    "--http-address=:10902",
    "--objstore.config=$(OBJSTORE_CONFIG)",
    "--tsdb.path=/prometheus",
    "--log.level=info",
    "--log.format=logfmt",
    "--prometheus.http-client-file=/etc/thanos/config/prometheus.http-client-file.yaml",
]
# The file's content (Secret <prometheus>-thanos-prometheus-http-client-file).
OPERATOR_HTTP_CLIENT_FILE = "tls_config:\n  insecure_skip_verify: true\n"
# What further spec.thanos fields add (inserted before --prometheus.http-client-file):
# minTime, readyTimeout, getConfigTimeout and getConfigInterval (Thanos >= 0.29), tracingConfig,
# grpcServerTlsConfig's minVersion (>= 0.37), cipherSuites and curves (>= 0.42); and, with
# Prometheus >= 3.9 and Thanos >= 0.41, the shipper's two flags (compaction delayed instead of
# disabled). grpcServerTlsConfig's cert/key/CA files give --grpc-server-tls-cert/-key/-client-ca,
# which `argus sidecar` has (storeapi_test covers them).
OPERATOR_OPTIONAL_ARGS = [
    "--min-time=-1d",
    "--prometheus.ready_timeout=10m",
    "--prometheus.get_config_timeout=30s",
    "--prometheus.get_config_interval=30s",
    "--tracing.config=$(TRACING_CONFIG)",
    "--grpc-server-tls-min-version=VersionTLS13",
    "--grpc-server-tls-ciphers=TLS_AES_128_GCM_SHA256",
    "--grpc-server-tls-curves=X25519",
    "--shipper.meta-file-name=thanos.shipper.json",
    "--shipper.ignore-unequal-block-size",
]
# Arguments `argus sidecar` refuses today: {argument: (what this test passes instead, or None
# to leave it out; why)}. test_known_gaps_still_refused fails once one is accepted: then drop it
# here and from docs/kube-prometheus-stack.md.
UNKNOWN_FLAG = "unknown flag"
KNOWN_GAPS = {
    "--prometheus.get_config_timeout=30s": (None, UNKNOWN_FLAG),
    "--tracing.config=$(TRACING_CONFIG)": (None, UNKNOWN_FLAG),
    "--grpc-server-tls-min-version=VersionTLS13": (None, UNKNOWN_FLAG),
    "--grpc-server-tls-ciphers=TLS_AES_128_GCM_SHA256": (None, UNKNOWN_FLAG),
    "--grpc-server-tls-curves=X25519": (None, UNKNOWN_FLAG),
    "--shipper.meta-file-name=thanos.shipper.json": (None, UNKNOWN_FLAG),
    "--shipper.ignore-unequal-block-size": (None, UNKNOWN_FLAG),
}
# The external labels the operator writes (prometheus, prometheus_replica) and the seed's.
EXTERNAL = {"cluster": "cluster-a", "stage": "prod", "region": "us-east-1",
            "prometheus": "monitoring/prometheus", "prometheus_replica": "prometheus-prometheus-0"}
METRIC = "deploy_test_backfilled"


class SidecarWithOperatorArgs(unittest.TestCase):
    """`argus sidecar` as the thanos-sidecar container of prometheus-operator's StatefulSet,
    next to a real Prometheus 2.42 that holds two uploaded-ready 2h blocks."""

    @classmethod
    def setUpClass(cls):
        need_argus()
        cls.dir = tempfile.mkdtemp(prefix="argus-sidecar-op-")
        cls.procs = Processes(cls.dir)
        try:
            cls._start_prometheus()
        except BaseException:
            cls.procs.stop()
            shutil.rmtree(cls.dir, ignore_errors=True)
            raise

    @classmethod
    def _start_prometheus(cls):
        d = cls.dir
        now = int(time.time() * 1000)
        end = now - now % (2 * HOUR) - 2 * HOUR
        cls.range = (end - 4 * HOUR, end - 1)
        with open(os.path.join(d, "in.om"), "w") as f:
            f.write("# TYPE %s gauge\n" % METRIC)
            for t in range(end - 4 * HOUR, end, 60000):
                f.write('%s{job="backfill"} %d %.3f\n' % (METRIC, (t // 60000) % 97, t / 1000))
            f.write("# EOF\n")
        cls.tsdb = os.path.join(d, "prometheus")
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics",
                        os.path.join(d, "in.om"), cls.tsdb], check=True, capture_output=True)
        cls.blocks = sorted(b for b in os.listdir(cls.tsdb) if len(b) == 26)
        assert len(cls.blocks) == 2, cls.blocks
        cls.prom_port = free_port()
        # Prometheus scrapes itself, so the head has data too.
        with open(os.path.join(d, "prometheus.yml"), "w") as f:
            f.write("global:\n  scrape_interval: 5s\n  external_labels:\n" +
                    "".join('    %s: "%s"\n' % kv for kv in EXTERNAL.items()) +
                    "scrape_configs:\n  - job_name: prometheus\n    static_configs:\n"
                    "      - targets: [\"localhost:%d\"]\n" % cls.prom_port)
        # The Prometheus arguments of the operator that matter here (config and paths local).
        p = cls.procs.start(["/usr/bin/prometheus",
                             "--config.file=" + os.path.join(d, "prometheus.yml"),
                             "--storage.tsdb.path=" + cls.tsdb,
                             "--storage.tsdb.retention.time=24h",
                             "--web.enable-lifecycle",
                             "--web.route-prefix=/",
                             "--web.listen-address=127.0.0.1:%d" % cls.prom_port,
                             "--storage.tsdb.max-block-duration=2h",
                             "--storage.tsdb.min-block-duration=2h"], "prometheus")
        wait_ready("http://127.0.0.1:%d/-/ready" % cls.prom_port, p)
        run = subprocess.run(["/usr/bin/prometheus", "--version"], capture_output=True, text=True)
        assert "version 2.42" in run.stdout + run.stderr, run.stdout + run.stderr

    @classmethod
    def tearDownClass(cls):
        cls.procs.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def sidecar_args(self, verbatim=()):
        """The operator's list with local values: Prometheus's port, free ports, local paths,
        the http-client file written out; known gaps adapted unless listed in `verbatim`."""
        self.grpc, self.http = free_port(), free_port()
        work = tempfile.mkdtemp(prefix="sidecar-", dir=self.dir)
        self.bucket = os.path.join(work, "bucket")
        os.makedirs(os.path.join(work, "etc-thanos-config"))
        with open(os.path.join(work, "etc-thanos-config", "prometheus.http-client-file.yaml"),
                  "w") as f:
            f.write(OPERATOR_HTTP_CLIENT_FILE)
        # The container's environment: OBJSTORE_CONFIG from the objstore Secret's key.
        self.env = dict(os.environ, OBJSTORE_CONFIG=FILESYSTEM_BUCKET % self.bucket)
        args = []
        operator = OPERATOR_SIDECAR_ARGS[:-1] + OPERATOR_OPTIONAL_ARGS + OPERATOR_SIDECAR_ARGS[-1:]
        for a in operator:
            if a in KNOWN_GAPS and a not in verbatim:
                a = KNOWN_GAPS[a][0]
                if a is None:
                    continue
            a = a.replace("localhost:9090", "localhost:%d" % self.prom_port)
            a = a.replace(":10901", ":%d" % self.grpc).replace(":10902", ":%d" % self.http)
            a = a.replace("=/prometheus", "=" + self.tsdb)
            a = a.replace("/etc/thanos/config/", os.path.join(work, "etc-thanos-config") + "/")
            args.append(kubelet_expand(a, self.env))
        return [ARGUS] + args

    def start_sidecar(self, verbatim=()):
        p = self.procs.start(self.sidecar_args(verbatim), "sidecar-%d" % self.grpc, self.env)
        self.addCleanup(self.stop, p)
        return p

    @staticmethod
    def stop(p):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()

    def test_operator_args(self):
        """Ready on --http-address, uploads both blocks with the external labels, answers Info
        and Series on --grpc-address."""
        args = self.sidecar_args()
        self.assertIn("--objstore.config=" + FILESYSTEM_BUCKET % self.bucket, args)
        p = self.procs.start(args, "sidecar", self.env)
        self.addCleanup(self.stop, p)
        wait_ready("http://127.0.0.1:%d/-/ready" % self.http, p)
        self.assertEqual(http_get("http://127.0.0.1:%d/-/healthy" % self.http)[0], 200)

        deadline = time.time() + 90
        while time.time() < deadline and not all(
                os.path.exists(os.path.join(self.bucket, b, "meta.json")) for b in self.blocks):
            time.sleep(0.5)
        for b in self.blocks:
            path = os.path.join(self.bucket, b, "meta.json")
            self.assertTrue(os.path.exists(path), "block %s not uploaded\n%s" % (b, log_tail(p)))
            with open(path) as f:
                meta = json.load(f)
            self.assertEqual(meta["thanos"]["labels"], EXTERNAL)
            self.assertEqual(meta["thanos"]["source"], "sidecar")

        client = tc.StoreClient("127.0.0.1:%d" % self.grpc)
        self.addCleanup(client.close)
        info = client.info()
        self.assertEqual(info.ComponentType, "sidecar")
        self.assertIn(EXTERNAL, [{l.name: l.value for l in s.labels} for s in info.label_sets])
        self.assertLessEqual(info.store.min_time, self.range[0])
        legacy = client.store_info()
        self.assertEqual({l.name: l.value for l in legacy.labels}, EXTERNAL)
        series, warnings = client.series(matchers=[("__name__", "=", METRIC)],
                                         min_time=self.range[0], max_time=self.range[1])
        self.assertEqual(warnings, [])
        want = tuple(sorted(dict(EXTERNAL, __name__=METRIC, job="backfill").items()))
        self.assertEqual(list(series), [want])
        self.assertEqual(len(series[want]), 4 * 60)

    def test_known_gaps_still_refused(self):
        """Each argument of KNOWN_GAPS, given verbatim, still stops the sidecar."""
        for arg, (_, why) in KNOWN_GAPS.items():
            with self.subTest(arg=arg):
                p = self.start_sidecar(verbatim=(arg,))
                url = "http://127.0.0.1:%d/-/ready" % self.http
                deadline = time.time() + 30
                while p.poll() is None and time.time() < deadline:
                    try:
                        if http_get(url)[0] == 200:
                            self.fail("argus sidecar now accepts %s: drop it from KNOWN_GAPS and "
                                      "docs/kube-prometheus-stack.md" % arg)
                    except OSError:
                        pass
                    time.sleep(0.3)
                self.assertIsNotNone(p.poll(), "%s: neither ready nor exited in 30 s" % arg)
                self.assertNotEqual(p.returncode, 0, arg)


if __name__ == "__main__":
    unittest.main()
