using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Autorest;
using k8s.Models;
using StatefunOperator.Operator.Hosting;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing;

namespace StatefunOperator.Operator.Tests.Integration.ApiServer;

/// <summary>
/// A real kube-apiserver for the integration tests. With <c>USE_EXISTING_CLUSTER=true</c> it uses the current
/// kubeconfig; otherwise it starts etcd and kube-apiserver itself on free 127.0.0.1 ports (token auth, a
/// self-signed serving certificate), installs the committed CRDs from config/crd/bases, and stops both by PID
/// at the end. If it cannot, every test using it fails with the reason.
/// </summary>
public sealed class KubeApiServerFixture : IAsyncLifetime
{
    private const string Token = "statefun-operator-tests-admin-token";

    /// <summary>A user named like the operator's ServiceAccount, holding only what config/rbac grants it.</summary>
    public const string OperatorServiceAccountUser = "system:serviceaccount:statefun-operator-system:statefun-operator";

    private const string OperatorToken = "statefun-operator-tests-operator-token";

    /// <summary>
    /// The ServiceAccount of a second operator install, namespaced (config/namespaced) in a namespace of its own:
    /// another user than <see cref="OperatorServiceAccountUser"/>, whom the cluster-wide install's binding covers.
    /// </summary>
    public const string NamespacedOperatorNamespace = "statefun-namespaced-test";

    private const string NamespacedOperatorToken = "statefun-operator-tests-namespaced-operator-token";
    private LocalProcess? _etcd;
    private LocalProcess? _apiServer;
    private TestAssets? _assets;
    private string _workDirectory = string.Empty;
    private string _etcdDataDirectory = string.Empty;
    private int _apiServerPort;
    private int _etcdPort;
    private ServingCertificate? _certificate;

    public Kubernetes Client { get; private set; } = null!;

    public KubernetesClientConfiguration Configuration { get; private set; } = null!;

    /// <summary>A kubeconfig for kubectl against this API server (only for a started server).</summary>
    public string? KubeconfigPath { get; private set; }

    public bool UsesExistingCluster { get; } = string.Equals(Environment.GetEnvironmentVariable("USE_EXISTING_CLUSTER"), "true", StringComparison.OrdinalIgnoreCase);

    public bool CanRestart => !UsesExistingCluster;

    public async Task InitializeAsync()
    {
        if (UsesExistingCluster)
        {
            Configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile();
        }
        else
        {
            _assets = TestAssets.Resolve();
            _workDirectory = Path.Combine(Path.GetTempPath(), $"statefun-kube-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
            Directory.CreateDirectory(_workDirectory);
            await StartEtcdAsync();
            WriteApiServerFiles();
            _apiServerPort = LoopbackPorts.Free();
            await StartApiServerAsync();
            Configuration = new KubernetesClientConfiguration
            {
                Host = $"https://127.0.0.1:{_apiServerPort}",
                AccessToken = Token,
                SslCaCerts = new X509Certificate2Collection(_certificate!.Certificate),
            };
            KubeconfigPath = WriteKubeconfig();
        }

        Client = KubernetesClients.Create(Configuration);
        await InstallCrdsAsync();
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        _apiServer?.Dispose();
        _etcd?.Dispose();
        if (_workDirectory.Length > 0 && Environment.GetEnvironmentVariable("KEEP_KUBE_TEST_DIR") != "true")
        {
            foreach (var directory in new[] { _etcdDataDirectory, _workDirectory }.Where(d => d.Length > 0 && Directory.Exists(d)))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: temp directories.
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops kube-apiserver (by PID), waits, and starts it again on the same port and etcd.</summary>
    public async Task RestartApiServerAsync(TimeSpan downtime)
    {
        if (!CanRestart)
        {
            throw new InvalidOperationException("Cannot restart an existing cluster's API server.");
        }

        _apiServer!.Dispose();
        await Task.Delay(downtime);
        await StartApiServerAsync();
    }

    /// <summary>A client authenticated as the operator's ServiceAccount (only on a server this fixture started).</summary>
    public Kubernetes OperatorServiceAccountClient() => ClientWithToken(OperatorToken);

    /// <summary>A client authenticated as the namespaced install's ServiceAccount (<see cref="NamespacedOperatorNamespace"/>).</summary>
    public Kubernetes NamespacedOperatorClient() => ClientWithToken(NamespacedOperatorToken);

    private Kubernetes ClientWithToken(string token) => new(new KubernetesClientConfiguration
    {
        Host = Configuration.Host,
        AccessToken = token,
        SslCaCerts = Configuration.SslCaCerts,
    });

    /// <summary>A namespace of a fixed name (an install's own), created unless an earlier test or run made it.</summary>
    public async Task EnsureNamespaceAsync(string name)
    {
        try
        {
            await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        }
        catch (k8s.Autorest.HttpOperationException exception) when (exception.Response?.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Already there.
        }
    }

    /// <summary>A fresh namespace for one test.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 9, 63)].TrimEnd('-');
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private async Task StartEtcdAsync()
    {
        _etcdPort = LoopbackPorts.Free();
        var peerPort = LoopbackPorts.Free();
        // etcd syncs every commit to disk; a test API server need not survive the machine, so its data goes to memory
        // (tmpfs) where there is room (etcd preallocates 64 MB write-ahead log files; a container's /dev/shm is often
        // only 64 MB): writes then wait for etcd, not for the disk.
        _etcdDataDirectory = Directory.Exists("/dev/shm") && new DriveInfo("/dev/shm").AvailableFreeSpace >= 1L << 30
            ? Path.Combine("/dev/shm", Path.GetFileName(_workDirectory) + "-etcd")
            : Path.Combine(_workDirectory, "etcd");
        var dataDirectory = _etcdDataDirectory;
        _etcd = LocalProcess.Start(_assets!.Etcd,
        [
            "--name=statefun-test",
            $"--data-dir={dataDirectory}",
            $"--listen-client-urls=http://127.0.0.1:{_etcdPort}",
            $"--advertise-client-urls=http://127.0.0.1:{_etcdPort}",
            $"--listen-peer-urls=http://127.0.0.1:{peerPort}",
            $"--initial-advertise-peer-urls=http://127.0.0.1:{peerPort}",
            $"--initial-cluster=statefun-test=http://127.0.0.1:{peerPort}",
            "--quota-backend-bytes=4294967296",
        ], Path.Combine(_workDirectory, "etcd.log"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await WaitForAsync("etcd", _etcd, async () =>
            (await http.GetAsync(new Uri($"http://127.0.0.1:{_etcdPort}/health"))).IsSuccessStatusCode);
    }

    private void WriteApiServerFiles()
    {
        _certificate = ServingCertificate.Create();
        File.WriteAllText(Path.Combine(_workDirectory, "serving.crt"), _certificate.CertificatePem);
        File.WriteAllText(Path.Combine(_workDirectory, "serving.key"), _certificate.PrivateKeyPem);
        using var serviceAccountKey = RSA.Create(2048);
        File.WriteAllText(Path.Combine(_workDirectory, "sa.key"), serviceAccountKey.ExportRSAPrivateKeyPem());
        File.WriteAllText(Path.Combine(_workDirectory, "sa.pub"), serviceAccountKey.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(Path.Combine(_workDirectory, "tokens.csv"), $"{Token},statefun-test-admin,statefun-test-admin,system:masters\n{OperatorToken},{OperatorServiceAccountUser},statefun-operator-uid,system:serviceaccounts\n{NamespacedOperatorToken},system:serviceaccount:{NamespacedOperatorNamespace}:statefun-operator,statefun-namespaced-operator-uid,system:serviceaccounts\n");
    }

    private async Task StartApiServerAsync()
    {
        var directory = _workDirectory;
        _apiServer = LocalProcess.Start(_assets!.KubeApiServer,
        [
            $"--etcd-servers=http://127.0.0.1:{_etcdPort}",
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            $"--secure-port={_apiServerPort}",
            "--insecure-port=0",
            $"--cert-dir={Path.Combine(directory, "certs")}",
            $"--tls-cert-file={Path.Combine(directory, "serving.crt")}",
            $"--tls-private-key-file={Path.Combine(directory, "serving.key")}",
            $"--token-auth-file={Path.Combine(directory, "tokens.csv")}",
            $"--service-account-key-file={Path.Combine(directory, "sa.pub")}",
            $"--service-account-signing-key-file={Path.Combine(directory, "sa.key")}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-cluster-ip-range=10.0.0.0/24",
            "--authorization-mode=RBAC",
            "--allow-privileged=true",
            "--disable-admission-plugins=ServiceAccount",
            "--enable-priority-and-fairness=false",
            "--endpoint-reconciler-type=none",
            "--watch-cache=true",
        ], Path.Combine(directory, "kube-apiserver.log"));

        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.RawData.AsSpan().SequenceEqual(_certificate!.Certificate.RawData),
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        await WaitForAsync("kube-apiserver", _apiServer, async () =>
            (await http.GetAsync(new Uri($"https://127.0.0.1:{_apiServerPort}/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(90));
    }

    private static async Task WaitForAsync(string what, LocalProcess process, Func<Task<bool>> ready, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        string lastProblem = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{what} (pid {process.Id}) exited during startup. Last lines of {process.LogPath}:\n{process.LogTail()}");
            }

            try
            {
                if (await ready())
                {
                    return;
                }

                lastProblem = "not ready";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                lastProblem = exception.Message;
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"{what} (pid {process.Id}) was not ready within {timeout ?? TimeSpan.FromSeconds(30)} ({lastProblem}). Last lines of {process.LogPath}:\n{process.LogTail()}");
    }

    private async Task InstallCrdsAsync()
    {
        var directory = RepositoryRoot.Combine("config", "crd", "bases");
        foreach (var file in Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            try
            {
                await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
            }
            catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Conflict)
            {
                var existing = await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name);
                crd.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                await Client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(crd, crd.Metadata.Name);
            }

            await Eventually.Until(
                () => Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name),
                read => read.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true,
                $"CRD {crd.Metadata.Name} to be established");
        }
    }

    private string WriteKubeconfig()
    {
        var path = Path.Combine(_workDirectory, "kubeconfig");
        var ca = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(_certificate!.CertificatePem));
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: statefun-test
              cluster:
                server: https://127.0.0.1:{_apiServerPort}
                certificate-authority-data: {ca}
            users:
            - name: statefun-test-admin
              user:
                token: {Token}
            contexts:
            - name: statefun-test
              context:
                cluster: statefun-test
                user: statefun-test-admin
            current-context: statefun-test
            """);
        return path;
    }
}
