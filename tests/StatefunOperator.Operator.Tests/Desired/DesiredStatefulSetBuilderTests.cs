using k8s.Models;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Endpoints;
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
        endpoint.Metadata.CreationTimestamp = new DateTime(2026, 12, 7, 6, 40, 12, DateTimeKind.Utc);
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
        Assert.Equal("2026-12-07T06:40:12Z", container.Env.Single(e => e.Name == "STATEFUN_ENDPOINT_CREATED").Value);
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

    [Fact]
    public void S10_WithStorageSize_EveryPodGetsAVolumeOfItsOwn_ForItsStores_WritableThroughTheFsGroup()
    {
        var endpoint = TestResources.Endpoint("shop", "greeter");
        endpoint.Spec.Storage = new EndpointStorage { Size = "10Gi", StorageClassName = "fast" };

        var statefulSet = DesiredStatefulSetBuilder.Build(endpoint, ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, [], [])), Options);

        var claim = Assert.Single(statefulSet.Spec.VolumeClaimTemplates);
        Assert.Equal(("state", "fast", "10Gi"), (claim.Metadata.Name, claim.Spec.StorageClassName, claim.Spec.Resources.Requests["storage"].ToString()));
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
        var container = statefulSet.Spec.Template.Spec.Containers[0];
        Assert.Equal("/var/lib/statefun", container.VolumeMounts.Single(m => m.Name == "state").MountPath);
        Assert.Equal("/var/lib/statefun/stores", container.Env.Single(e => e.Name == "STATEFUN_STATE_DIR").Value);
        Assert.Equal(1654, statefulSet.Spec.Template.Spec.SecurityContext.FsGroup);
    }

    [Fact]
    public void S10_WithoutStorageSize_TheStoresLiveOnThePodsEmptyDir()
    {
        var endpoint = TestResources.Endpoint();

        var statefulSet = DesiredStatefulSetBuilder.Build(endpoint, ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, [], [])), Options);

        Assert.Null(statefulSet.Spec.VolumeClaimTemplates);
        Assert.DoesNotContain(statefulSet.Spec.Template.Spec.Containers[0].Env, e => e.Name == "STATEFUN_STATE_DIR");
    }

    [Fact]
    public void S10_AChangeOfStorage_OnceTheStatefulSetExists_IsRefused_NamingBothAndTheWayOut()
    {
        var endpoint = TestResources.Endpoint("shop", "greeter");
        endpoint.Spec.Storage = new EndpointStorage { Size = "10Gi" };
        var existing = DesiredStatefulSetBuilder.Build(endpoint, ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, [], [])), Options);

        Assert.Null(StateVolume.RefusalMessage(endpoint, existing));
        Assert.Null(StateVolume.RefusalMessage(endpoint, observed: null));
        endpoint.Spec.Storage = new EndpointStorage { Size = "20Gi" };
        var refusal = StateVolume.RefusalMessage(endpoint, existing);
        Assert.Contains("10737418240 bytes", refusal, StringComparison.Ordinal);
        Assert.Contains("21474836480 bytes", refusal, StringComparison.Ordinal);
        Assert.Contains("--cascade=orphan", refusal, StringComparison.Ordinal);
        endpoint.Spec.Storage = null;
        Assert.Contains("none (the pod's emptyDir)", StateVolume.RefusalMessage(endpoint, existing), StringComparison.Ordinal);
        var added = TestResources.Endpoint("shop", "greeter");
        added.Spec.Storage = new EndpointStorage { Size = "1Gi" };
        var withoutVolume = new V1StatefulSet { Metadata = new V1ObjectMeta { Name = "greeter-host" }, Spec = new V1StatefulSetSpec() };
        Assert.Contains("from none (the pod's emptyDir) to 1073741824 bytes", StateVolume.RefusalMessage(added, withoutVolume), StringComparison.Ordinal);
    }
}
