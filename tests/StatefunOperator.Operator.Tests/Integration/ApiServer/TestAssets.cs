namespace StatefunOperator.Operator.Tests.Integration.ApiServer;

/// <summary>
/// Where the etcd and kube-apiserver binaries are, by envtest's conventions: <c>TEST_ASSET_KUBE_APISERVER</c> /
/// <c>TEST_ASSET_ETCD</c>, then <c>KUBEBUILDER_ASSETS</c>, then the cache that scripts/kube-test-assets.sh fills.
/// </summary>
public sealed record TestAssets(string KubeApiServer, string Etcd)
{
    public static string DefaultCacheDirectory => Environment.GetEnvironmentVariable("STATEFUN_KUBE_ASSETS_DIR")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "statefun-operator", "kube-assets");

    public static TestAssets Resolve()
    {
        var directory = Environment.GetEnvironmentVariable("KUBEBUILDER_ASSETS") is { Length: > 0 } assets ? assets : DefaultCacheDirectory;
        var apiServer = Environment.GetEnvironmentVariable("TEST_ASSET_KUBE_APISERVER") is { Length: > 0 } a ? a : Path.Combine(directory, "kube-apiserver");
        var etcd = Environment.GetEnvironmentVariable("TEST_ASSET_ETCD") is { Length: > 0 } e ? e : Path.Combine(directory, "etcd");
        var missing = new[] { apiServer, etcd }.Where(path => !File.Exists(path)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The operator's integration tests need a real kube-apiserver and etcd, and these are missing: {string.Join(", ", missing)}. " +
                "Build them once with `scripts/kube-test-assets.sh` (it prints the directory; export KUBEBUILDER_ASSETS=<that directory>), " +
                "or point TEST_ASSET_KUBE_APISERVER / TEST_ASSET_ETCD at the binaries, or set USE_EXISTING_CLUSTER=true to use the current kubeconfig.");
        }

        return new TestAssets(apiServer, etcd);
    }
}
