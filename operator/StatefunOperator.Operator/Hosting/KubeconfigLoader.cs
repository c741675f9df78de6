using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace StatefunOperator.Operator.Hosting;

/// <summary>
/// Reads a kubeconfig file into a client configuration, as <c>KubernetesClientConfiguration.BuildConfigFromConfigFile</c>
/// does, without KubernetesClient's <c>KubernetesYaml</c>: its static initializer loads every type of the client
/// assembly (about 6,000, async state machines included) and maps the properties of every model, which cost the
/// operator about 20 MB of resident memory for the few kubeconfig fields it reads. The kubeconfig models carry
/// their own YAML names, so a plain YamlDotNet deserializer with the same conventions reads them the same way.
/// </summary>
public static class KubeconfigLoader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithAttemptingUnquotedStringTypeDeserialization()
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>The configuration of the kubeconfig at <paramref name="path"/> (default <c>~/.kube/config</c>), for its current context.</summary>
    public static KubernetesClientConfiguration Load(string? path)
    {
        var file = new FileInfo(path ?? KubernetesClientConfiguration.KubeConfigDefaultLocation);
        if (!file.Exists)
        {
            throw new KubeConfigException($"kubeconfig file not found at {file.FullName}");
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigObject(Parse(File.ReadAllText(file.FullName), file.FullName));
    }

    /// <summary>The kubeconfig models of a kubeconfig document; relative file paths in it resolve against <paramref name="fileName"/>'s folder.</summary>
    /// <remarks>
    /// The native operator keeps the models whole (NativeRoots.xml), but the collections YamlDotNet creates for their
    /// interface-typed properties are generic instantiations no descriptor names: they are kept here, or the native
    /// binary fails on the first kubeconfig with "No parameterless constructor defined for List`1[Cluster]".
    /// </remarks>
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, typeof(List<Cluster>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, typeof(List<Context>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, typeof(List<User>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, typeof(List<NamedExtension>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, typeof(List<string>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, typeof(List<object>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, typeof(List<Dictionary<string, string>>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, typeof(Dictionary<string, string>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, typeof(Dictionary<string, object>))]
    public static K8SConfiguration Parse(string yaml, string? fileName = null)
    {
        var configuration = Deserializer.Deserialize<K8SConfiguration?>(yaml)
            ?? throw new KubeConfigException($"kubeconfig {fileName ?? "(text)"} is empty");
        configuration.FileName = fileName;
        return configuration;
    }
}
