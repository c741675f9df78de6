using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Desired;

public class DesiredStatefulSetBuilderTests
{
    private static readonly OperatorOptions Options = new() { RuntimeImage = "registry.example/statefun-runtime:1.0" };

    [Fact]
    public void K2_StatefulSet_RunsTheHostRole_WithStablePodNamesAsInstanceIds()
    {
        var endpoint = TestResources.Endpoint("shop", "greeter");
        endpoint.Spec.Replicas = 3;
        endpoint.Spec.Resources = new WorkloadResources { Requests = new() { ["cpu"] = "250m" } };
        var module = ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, [], []));

        var statefulSet = DesiredStatefulSetBuilder.Build(endpoint, module, Options);

        Assert.Equal(("greeter-host", "shop", 3), (statefulSet.Metadata.Name, statefulSet.Metadata.NamespaceProperty, statefulSet.Spec.Replicas));
        Assert.Equal("greeter-host", statefulSet.Spec.ServiceName);
        Assert.Equal("Parallel", statefulSet.Spec.PodManagementPolicy);
        var owner = Assert.Single(statefulSet.Metadata.OwnerReferences);
        Assert.Equal(("FunctionEndpoint", "greeter", "endpoint-uid", true), (owner.Kind, owner.Name, owner.Uid, owner.Controller ?? false));
        Assert.Equal(module.Hash, statefulSet.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation]);
        Assert.All(statefulSet.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, statefulSet.Spec.Template.Metadata.Labels[label.Key]));
        Assert.DoesNotContain(WorkloadNames.IngressLabel, statefulSet.Spec.Template.Metadata.Labels.Keys);

        var container = Assert.Single(statefulSet.Spec.Template.Spec.Containers);
        Assert.Equal("registry.example/statefun-runtime:1.0", container.Image);
        Assert.Equal(["--module", "/etc/statefun/module.yaml", "--role", "host", "--host", "shop/greeter"], container.Args);
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "STATEFUN_INSTANCE_ID").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("250m", container.Resources.Requests["cpu"].ToString());
        Assert.Equal("greeter-host-config", statefulSet.Spec.Template.Spec.Volumes.Single(v => v.Name == "module").ConfigMap.Name);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
    }

    [Fact]
    public void StatefulSet_DefaultsToOneReplica_AndTakesTheEndpointsImage()
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Spec.Image = "mine:2";
        var statefulSet = DesiredStatefulSetBuilder.Build(endpoint, ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, [], [])), Options);
        Assert.Equal(1, statefulSet.Spec.Replicas);
        Assert.Equal("mine:2", statefulSet.Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public void HeadlessService_SelectsTheHostPods()
    {
        var endpoint = TestResources.Endpoint("shop", "greeter");
        var service = DesiredServiceBuilder.Build(endpoint);
        var statefulSet = DesiredStatefulSetBuilder.Build(endpoint, ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, [], [])), Options);

        Assert.Equal(statefulSet.Spec.ServiceName, service.Metadata.Name);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.Equal(statefulSet.Spec.Selector.MatchLabels, service.Spec.Selector);
        Assert.Equal("FunctionEndpoint", Assert.Single(service.Metadata.OwnerReferences).Kind);
    }

    [Fact]
    public void HostConfigMap_HoldsTheModule_UnderANameNoIngressCanTake()
    {
        var endpoint = TestResources.Endpoint("shop", "users");
        var module = ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, [], []));
        var configMap = DesiredConfigMapBuilder.Build(endpoint, module);

        Assert.Equal("users-host-config", configMap.Metadata.Name);
        Assert.NotEqual(WorkloadNames.ConfigMapName("users-host"), configMap.Metadata.Name);
        Assert.Equal(module.Yaml, configMap.Data[WorkloadNames.ModuleFileName]);
        Assert.Equal("FunctionEndpoint", Assert.Single(configMap.Metadata.OwnerReferences).Kind);
    }
}
