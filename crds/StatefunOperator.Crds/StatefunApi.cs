namespace StatefunOperator.Crds;

/// <summary>The API group and version of every StatefunOperator custom resource, chosen once.</summary>
public static class StatefunApi
{
    public const string Group = "statefun.dev";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
}
