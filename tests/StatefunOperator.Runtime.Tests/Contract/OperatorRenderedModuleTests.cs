using k8s;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Testing;

namespace StatefunOperator.Runtime.Tests.Contract;

/// <summary>
/// The contract between the operator and the runtime: the module.yaml the operator renders into a
/// ConfigMap, for every sample custom resource, loads in the runtime (placeholders resolved as the
/// pod's environment would).
/// </summary>
public class OperatorRenderedModuleTests
{
    private static readonly Dictionary<string, Type> Types = new()
    {
        [$"{StatefunApi.ApiVersion}/{Crds.Ingress.KafkaIngress.KindName}"] = typeof(Crds.Ingress.KafkaIngress),
        [$"{StatefunApi.ApiVersion}/{KafkaEgress.KindName}"] = typeof(KafkaEgress),
        [$"{StatefunApi.ApiVersion}/{FunctionEndpoint.KindName}"] = typeof(FunctionEndpoint),
        ["v1/Secret"] = typeof(k8s.Models.V1Secret),
    };

    private static List<object> Samples()
    {
        var folder = Path.Combine(RepositoryRoot.Path, "config", "samples");
        return Directory.GetFiles(folder, "statefun_*.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(file => KubernetesYaml.LoadAllFromString(File.ReadAllText(file), Types))
            .ToList();
    }

    public static TheoryData<string> SampleIngresses() =>
        new(Samples().OfType<Crds.Ingress.KafkaIngress>().Select(i => i.Metadata.Name));

    [Theory]
    [MemberData(nameof(SampleIngresses))]
    public void R2_TheModuleTheOperatorRendersForEachSample_LoadsInTheRuntime(string ingressName)
    {
        var samples = Samples();
        var ingress = samples.OfType<Crds.Ingress.KafkaIngress>().Single(i => i.Metadata.Name == ingressName);
        ingress.Metadata.NamespaceProperty = "demo";
        var egresses = samples.OfType<KafkaEgress>().ToList();
        egresses.ForEach(e => e.Metadata.NamespaceProperty = "demo");
        var endpoints = samples.OfType<FunctionEndpoint>().ToList();
        endpoints.ForEach(e => e.Metadata.NamespaceProperty = "demo");

        var rendered = ModuleYamlRenderer.Render(new ModuleInputs(ingress, egresses, endpoints));
        var module = ModuleYamlLoader.Load(rendered.Yaml, name => "from-env-" + name);

        var loaded = Assert.Single(module.Ingresses);
        Assert.Equal($"demo/{ingressName}", loaded.Id.ToString());
        Assert.Equal(ingress.Spec.Address, loaded.Address);
        Assert.Equal(ingress.Spec.ConsumerGroupId, loaded.ConsumerGroupId);
        Assert.Equal(ingress.Spec.StartupPosition?.Type ?? "group-offsets", loaded.StartupPosition.TypeName);
        Assert.Equal(egresses.Count, module.Egresses.Count);
        Assert.Contains(module.Egresses, e => e.Semantic == KafkaProducerSemantic.ExactlyOnce);
    }

    public static TheoryData<string> SampleEndpoints() =>
        new(Samples().OfType<FunctionEndpoint>().Select(e => e.Metadata.Name));

    [Theory]
    [MemberData(nameof(SampleEndpoints))]
    public void R2_TheHostModuleTheOperatorRendersForEachSampleEndpoint_LoadsInTheRuntime(string endpointName)
    {
        var samples = Samples();
        samples.OfType<IKubernetesObject<k8s.Models.V1ObjectMeta>>().ToList().ForEach(o => o.Metadata.NamespaceProperty = "demo");
        var endpoint = samples.OfType<FunctionEndpoint>().Single(e => e.Metadata.Name == endpointName);
        var others = samples.OfType<FunctionEndpoint>().Where(e => e != endpoint).ToList();
        var egresses = samples.OfType<KafkaEgress>().Where(e => endpoint.Spec.Egresses?.Contains(e.Metadata.Name) == true).ToList();

        var rendered = ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, others, egresses));
        var module = ModuleYamlLoader.Load(rendered.Yaml, name => "from-env-" + name);

        Assert.Empty(module.Ingresses);
        Assert.Equal(egresses.Count, module.Egresses.Count);
        Assert.Equal(others.Count + 1, module.Endpoints.Count);
        var own = Module.Yaml.ModuleYamlReader.Read(rendered.Yaml, name => "from-env-" + name).Module.Endpoints[0];
        Assert.Equal($"demo/{endpointName}", own.Host!.Id);
        Assert.Equal(endpoint.Spec.Address, own.Host.Address);
        Assert.Equal((endpoint.Spec.Partitions ?? 8).ToString(System.Globalization.CultureInfo.InvariantCulture), own.Host.Partitions);
    }
}
