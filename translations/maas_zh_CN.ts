<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Cli</name>
    <message>
        <location filename="../app/cli/commands.cpp" line="+38"/>
        <source>maas: error: %1</source>
        <translation>maas：错误：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Print JSON instead of text.</source>
        <translation>输出 JSON 而不是文本。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use N LibTorch threads (default: one per core; or set MAAS_THREADS).</source>
        <translation>使用 N 个 LibTorch 线程（默认：每个核心一个；也可设置 MAAS_THREADS）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Show this help.</source>
        <translation>显示此帮助。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>missing arguments.</source>
        <translation>缺少参数。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--threads must be a whole number from 1 to 1024, not &apos;%1&apos;.</source>
        <translation>--threads 必须是 1 到 1024 之间的整数，而不是“%1”。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>loading %1</source>
        <translation>正在加载 %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Usage: maas COMMAND [OPTIONS]

Make, shrink, measure and ship models for Model-as-a-Service.

Commands:
  inspect MODEL    structure, parameters, sizes and compute of a TorchScript model
  predict MODEL INPUT...
                   run the model on tensor, CSV, image files or text
  card MODEL       show or edit the model card stored inside the model

Options:
  -h, --help       show this help; `maas COMMAND --help` shows a command&apos;s options
  -v, --version    show the versions of maas, Qt, LibTorch and the thread setting
</source>
        <translation>用法：maas 命令 [选项]

为模型即服务构建、压缩、评测并发布模型。

命令：
  inspect MODEL    TorchScript 模型的结构、参数、大小和计算量
  predict MODEL INPUT...
                   在张量、CSV、图像文件或文本上运行模型
  card MODEL       查看或编辑模型内保存的模型卡片

选项：
  -h, --help       显示此帮助；`maas 命令 --help` 显示该命令的选项
  -v, --version    显示 maas、Qt、LibTorch 的版本和线程设置
</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>unexpected failure: %1</source>
        <translation>意外失败：%1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&apos;%1&apos; is not a maas command; run `maas --help` for the list.</source>
        <translation>“%1”不是 maas 命令；运行 `maas --help` 查看命令列表。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Shows a TorchScript model&apos;s structure: layers, parameters, sizes on disk and in memory, and estimated compute for an input shape.</source>
        <translation>显示 TorchScript 模型的结构：各层、参数、磁盘和内存占用，以及给定输入形状下的估算计算量。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+100"/>
        <location line="+126"/>
        <source>A TorchScript model (.pt).</source>
        <translation>TorchScript 模型（.pt）。</translation>
    </message>
    <message>
        <location line="-224"/>
        <source>Estimate compute for an input of this shape, e.g. 1,3,224,224 (once per model input).</source>
        <translation>估算该形状输入的计算量，例如 1,3,224,224（每个模型输入给一次）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show layers down to this depth (default 2; 0: all).</source>
        <translation>显示到此深度的层（默认 2；0 表示全部）。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--input-shape &apos;%1&apos; is not a shape; write positive sizes separated by commas, e.g. 1,3,224,224.</source>
        <translation>--input-shape “%1”不是有效形状；请写用逗号分隔的正整数，例如 1,3,224,224。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>--depth must be 0 or a positive whole number.</source>
        <translation>--depth 必须是 0 或正整数。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>inspecting</source>
        <translation>正在检查</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+31"/>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="-31"/>
        <source> (card inferred: no card in the file)</source>
        <translation>（卡片为推断所得：文件中没有卡片）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sha256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>forward</source>
        <translation>前向</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+17"/>
        <source>parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>%1 (%2; %3 trainable) in %4 tensors: %5</source>
        <translation>%1（%2；可训练 %3），共 %4 个张量：%5</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>buffers</source>
        <translation>缓冲区</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 values</source>
        <translation>%1 个值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in memory</source>
        <translation>内存占用</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>compute</source>
        <translation>计算量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 MACs (%2 FLOPs) for input %3</source>
        <translation>输入 %3 时为 %1 次乘加（%2 FLOPs）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Runs a model on inputs: image files (.png, .jpg), CSV files of numeric rows, tensor files (.npy, or a tensor saved with torch.save), or text for text models. Inputs are preprocessed and checked as the model card says.</source>
        <translation>在输入上运行模型：图像文件（.png、.jpg）、数值行组成的 CSV 文件、张量文件（.npy，或用 torch.save 保存的张量），文本模型则直接给文本。输入按模型卡片的说明进行预处理和检查。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Input files, or strings for a text model.</source>
        <translation>输入文件，文本模型则为字符串。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the K most likely classes (default 5).</source>
        <translation>显示最可能的 K 个类别（默认 5）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Also write the first output tensor to FILE (.npy).</source>
        <translation>同时把第一个输出张量写入 FILE（.npy）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--top-k must be a positive whole number.</source>
        <translation>--top-k 必须是正整数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--output must name a .npy file, not &apos;%1&apos;.</source>
        <translation>--output 必须是 .npy 文件，而不是“%1”。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>running %1</source>
        <translation>正在运行 %1</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>sample %1</source>
        <translation>样本 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>output %1 %2: %3%4</source>
        <translation>输出 %1 %2：%3%4</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>latency %1</source>
        <translation>延迟 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Shows the model card stored inside a model (extra/card.json), or changes fields with --set. Keys are dotted paths: name, task, description, labels, preprocessing.scale, preprocessing.mean, preprocessing.std, preprocessing.image_width, preprocessing.color, inputs.0.name, inputs.0.shape, ...</source>
        <translation>显示模型内保存的模型卡片（extra/card.json），或用 --set 修改字段。键为点分路径：name、task、description、labels、preprocessing.scale、preprocessing.mean、preprocessing.std、preprocessing.image_width、preprocessing.color、inputs.0.name、inputs.0.shape 等。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Set a field, e.g. --set labels=cat,dog or --set inputs.0.shape=-1,3,224,224 (repeatable).</source>
        <translation>设置一个字段，例如 --set labels=cat,dog 或 --set inputs.0.shape=-1,3,224,224（可重复）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write the changed model to FILE instead of changing MODEL in place.</source>
        <translation>把修改后的模型写入 FILE，而不是原地修改 MODEL。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--output only makes sense with --set.</source>
        <translation>--output 只能与 --set 一起使用。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>--set &apos;%1&apos; needs KEY=VALUE, e.g. --set task=image-classification.</source>
        <translation>--set “%1”需要 KEY=VALUE 形式，例如 --set task=image-classification。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>card saved in %1</source>
        <translation>卡片已保存到 %1</translation>
    </message>
</context>
<context>
    <name>maas::widgets::WelcomePage</name>
    <message>
        <location filename="../widgets/src/welcomepage.cpp" line="+15"/>
        <source>MaaS Workbench</source>
        <translation>MaaS 工作台</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Drop a TorchScript model or a data set here</source>
        <translation>把 TorchScript 模型或数据集拖放到这里</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open a model…</source>
        <translation>打开模型…</translation>
    </message>
</context>
<context>
    <name>maas::workbench::MainWindow</name>
    <message>
        <location filename="../app/workbench/mainwindow.cpp" line="+19"/>
        <source>MaaS Workbench</source>
        <translation>MaaS 工作台</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open a model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TorchScript models (*.pt *.pth);;All files (*)</source>
        <translation>TorchScript 模型 (*.pt *.pth);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1: %2 parameters, %3 on disk</source>
        <translation>%1：%2 个参数，磁盘占用 %3</translation>
    </message>
</context>
</TS>
