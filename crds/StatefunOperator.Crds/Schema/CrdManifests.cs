using k8s;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Crds.Schema;

/// <summary>The CRD YAML files committed under config/crd/bases, rendered from the C# types.</summary>
public static class CrdManifests
{
    public const string Header = "# Generated from the C# types in crds/StatefunOperator.Crds by `statefun-operator manifests`. Do not edit.\n";

    public static IReadOnlyList<Type> ResourceTypes { get; } = [typeof(KafkaIngress), typeof(KafkaEgress), typeof(FunctionEndpoint)];

    /// <summary>File name -> YAML content, one file per CRD.</summary>
    public static IReadOnlyDictionary<string, string> Render()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in ResourceTypes)
        {
            var crd = CrdGenerator.Generate(type);
            files[$"{StatefunApi.Group}_{crd.Spec.Names.Plural}.yaml"] = Header + KubernetesYaml.Serialize(crd);
        }

        return files;
    }
}
