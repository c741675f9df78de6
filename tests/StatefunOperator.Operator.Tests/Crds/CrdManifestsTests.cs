using k8s;
using k8s.Models;
using StatefunOperator.Crds.Schema;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing;

namespace StatefunOperator.Operator.Tests.Crds;

public class CrdManifestsTests
{
    [Fact]
    public void K1_CommittedCrdYaml_MatchesTheCSharpTypes()
    {
        var directory = RepositoryRoot.Combine("config", "crd", "bases");
        var rendered = CrdManifests.Render();
        var committed = Directory.GetFiles(directory, "*.yaml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(rendered.Keys.Order(StringComparer.Ordinal).ToList(), committed);
        foreach (var (file, yaml) in rendered)
        {
            var onDisk = File.ReadAllText(Path.Combine(directory, file));
            Assert.True(
                onDisk == yaml,
                $"config/crd/bases/{file} drifted from the C# types; regenerate with `dotnet run --project operator/StatefunOperator.Operator -- manifests` (or `make manifests`).");
        }
    }

    [Fact]
    public void K1_IngressCrd_HasStatusSubresource_ShortNames_AndPrinterColumns()
    {
        var crd = CrdGenerator.Generate(typeof(StatefunOperator.Crds.Ingress.KafkaIngress));
        var version = Assert.Single(crd.Spec.Versions);
        Assert.NotNull(version.Subresources.Status);
        Assert.Contains("kin", crd.Spec.Names.ShortNames);
        Assert.Equal(["Ready", "Reason", "Topics", "Startup", "Available", "Lag", "Age", "Message"], version.AdditionalPrinterColumns.Select(c => c.Name));
    }

    [Fact]
    public void K1_IngressSchema_EnumeratesStartupTypes_AndRequiresTheNamedSettings()
    {
        var spec = SpecSchema(typeof(StatefunOperator.Crds.Ingress.KafkaIngress));
        Assert.Equal(["address", "consumerGroupId", "topics"], spec.Required);
        var startupType = spec.Properties["startupPosition"].Properties["type"];
        Assert.Equal(["group-offsets", "earliest", "latest", "specific-offsets", "date"], startupType.EnumProperty.Select(v => v.ToString()));
        Assert.Equal(["earliest", "latest"], spec.Properties["autoOffsetResetPosition"].EnumProperty.Select(v => v.ToString()));
        var targets = (V1JSONSchemaProps)((V1JSONSchemaProps)spec.Properties["topics"].Items).Properties["targets"].Items;
        Assert.NotNull(targets.Pattern);
    }

    [Fact]
    public void K1_EgressSchema_EnumeratesDeliverySemantics()
    {
        var spec = SpecSchema(typeof(StatefunOperator.Crds.Egress.KafkaEgress));
        Assert.Equal(["none", "at-least-once", "exactly-once"], spec.Properties["deliverySemantic"].Properties["type"].EnumProperty.Select(v => v.ToString()));
    }

    [Fact]
    public void K1_GeneratedYaml_RoundTripsThroughTheKubernetesModel()
    {
        foreach (var (_, yaml) in CrdManifests.Render())
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml);
            Assert.Equal("statefun.dev", crd.Spec.Group);
            Assert.Equal("v1alpha1", Assert.Single(crd.Spec.Versions).Name);
        }
    }

    private static V1JSONSchemaProps SpecSchema(Type type) =>
        CrdGenerator.Generate(type).Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"];
}
