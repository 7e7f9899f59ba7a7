// Plugin names, as upstream's pkg/scheduler/framework/plugins/names: the
// names users write in a scheduler profile and see in diagnostics.
export const NodeUnschedulable = "NodeUnschedulable";
export const NodeName = "NodeName";
export const TaintToleration = "TaintToleration";
export const NodeAffinity = "NodeAffinity";
export const NodePorts = "NodePorts";
export const NodeResourcesFit = "NodeResourcesFit";
export const VolumeBinding = "VolumeBinding";
export const PodTopologySpread = "PodTopologySpread";
export const InterPodAffinity = "InterPodAffinity";
export const NodeResourcesBalancedAllocation = "NodeResourcesBalancedAllocation";
export const ImageLocality = "ImageLocality";
