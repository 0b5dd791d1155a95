package dev.zeroshot.cli;

import picocli.CommandLine.Option;

/**
 * {@code --device cpu|gpu|auto}, shared by the commands that run a network. Each command makes
 * it with its own default ({@code @Mixin DeviceOption device = new DeviceOption("cpu")}), which
 * picocli keeps and shows in the help.
 */
final class DeviceOption {

  @Option(names = "--device", paramLabel = "<device>", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE})")
  String name;

  DeviceOption(String defaultName) {
    name = defaultName;
  }
}
