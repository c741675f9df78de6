using System.Text;
using k8s;
using k8s.Exceptions;
using StatefunOperator.Operator.Hosting;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Testing;

namespace StatefunOperator.Operator.Tests.Hosting;

/// <summary>The operator's kubeconfig reader gives the same client configuration as KubernetesClient's own.</summary>
public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly string _directory = TestScratch.Create("kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TokenAndCertificateAuthorityData_ReadAsKubernetesClientReadsThem()
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(ServingCertificate.Create().CertificatePem));
        var path = Write("token", $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {ca}
                tls-server-name: kubernetes
            users:
            - name: admin
              user:
                token: secret-token
            contexts:
            - name: test
              context:
                cluster: test
                user: admin
                namespace: shop
            current-context: test
            preferences:
              colors: true
            """);

        AssertSameAsKubernetesClient(path);
    }

    [Fact]
    public void ClientCertificateFiles_ResolveAgainstTheKubeconfigFolder_AsKubernetesClientResolvesThem()
    {
        var path = Write("certs", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: one
              cluster:
                server: https://one.example:443
                insecure-skip-tls-verify: true
            - name: two
              cluster:
                server: http://0.0.0.0:8080
            users:
            - name: cert-user
              user:
                client-certificate: certs/client.crt
                client-key: /etc/keys/client.key
            - name: basic
              user:
                username: alice
                password: wonderland
            contexts:
            - name: first
              context:
                cluster: one
                user: cert-user
            - name: second
              context:
                cluster: two
                user: basic
            current-context: second
            """);

        AssertSameAsKubernetesClient(path);
        var first = KubernetesClientConfiguration.BuildConfigFromConfigObject(KubeconfigLoader.Parse(File.ReadAllText(path), path), currentContext: "first");
        Assert.Equal(Path.Combine(_directory, "certs", "client.crt"), first.ClientCertificateFilePath);
        Assert.Equal("/etc/keys/client.key", first.ClientKeyFilePath);
        Assert.True(first.SkipTlsVerify);
    }

    [Fact]
    public void ExecPlugin_IsReadAsKubernetesClientReadsIt()
    {
        var path = Write("exec", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: https://c.example
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: /bin/true
                  args: ["--region", "eu"]
                  env:
                  - name: PROFILE
                    value: dev
            contexts:
            - name: c
              context:
                cluster: c
                user: u
            current-context: c
            """);

        var library = KubernetesClientConfiguration.LoadKubeConfig(path);
        var ours = KubeconfigLoader.Parse(File.ReadAllText(path), path);
        var (exec, expected) = (ours.Users.Single().UserCredentials.ExternalExecution, library.Users.Single().UserCredentials.ExternalExecution);
        Assert.Equal((expected.ApiVersion, expected.Command), (exec.ApiVersion, exec.Command));
        Assert.Equal(expected.Arguments, exec.Arguments);
        Assert.Equal(expected.EnvironmentVariables.Select(e => string.Join(",", e.OrderBy(p => p.Key))), exec.EnvironmentVariables.Select(e => string.Join(",", e.OrderBy(p => p.Key))));
    }

    [Fact]
    public void MissingFile_SaysWhere()
    {
        var missing = Path.Combine(_directory, "nope");
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigLoader.Load(missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static void AssertSameAsKubernetesClient(string path)
    {
        var expected = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        var actual = KubeconfigLoader.Load(path);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    private static string Describe(KubernetesClientConfiguration c) => string.Join("\n",
        $"host={c.Host}", $"context={c.CurrentContext}", $"namespace={c.Namespace}", $"token={c.AccessToken}",
        $"user={c.Username}", $"password={c.Password}", $"cert={c.ClientCertificateFilePath}", $"key={c.ClientKeyFilePath}",
        $"certData={c.ClientCertificateData}", $"keyData={c.ClientCertificateKeyData}", $"skipTls={c.SkipTlsVerify}",
        $"tlsServerName={c.TlsServerName}", $"ca={string.Join(",", c.SslCaCerts?.Select(cert => cert.Thumbprint) ?? [])}");
}
