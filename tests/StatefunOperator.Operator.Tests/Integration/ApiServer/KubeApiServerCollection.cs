namespace StatefunOperator.Operator.Tests.Integration.ApiServer;

/// <summary>All tests against the real API server share one server (each uses its own namespace).</summary>
[CollectionDefinition(Name)]
public sealed class KubeApiServerCollection : ICollectionFixture<KubeApiServerFixture>
{
    public const string Name = "kube-apiserver";
}
