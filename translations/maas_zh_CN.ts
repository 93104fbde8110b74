<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <location filename="../app/core/src/about.cpp" line="+24"/>
        <source>reference BLAS (slow)</source>
        <translation>参考 BLAS（较慢）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 thread</source>
        <translation>1 个线程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 threads</source>
        <translation>%1 个线程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · LibTorch %2 · %3</source>
        <translation>%1 · LibTorch %2 · %3</translation>
    </message>
</context>
<context>
    <name>Benchmark</name>
    <message numerus="yes">
        <location filename="../app/core/src/benchmark.cpp" line="+52"/>
        <source>%1: batch %2, %n thread(s)</source>
        <translation>
            <numerusform>%1：批大小 %2，%n 个线程</numerusform>
        </translation>
    </message>
    <message>
        <location line="+43"/>
        <source>profiling</source>
        <translation>正在剖析</translation>
    </message>
</context>
<context>
    <name>CardForms</name>
    <message>
        <location filename="../app/core/src/cardform.cpp" line="+39"/>
        <source>%1: &apos;%2&apos; is not a number; write numbers separated by commas.</source>
        <translation>%1：“%2”不是数字；请填写以逗号分隔的数字。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>datatype of input %1: &apos;%2&apos; is not known; use FP32, FP64, INT64, INT32, UINT8 or BYTES.</source>
        <translation>输入 %1 的数据类型：“%2”未知；请使用 FP32、FP64、INT64、INT32、UINT8 或 BYTES。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>shape of input %1</source>
        <translation>输入 %1 的形状</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>scale</source>
        <translation>缩放</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>std</source>
        <translation>标准差</translation>
    </message>
</context>
<context>
    <name>CardSummary</name>
    <message>
        <location filename="../app/core/src/cardsummary.cpp" line="+35"/>
        <source>not stated</source>
        <translation>未说明</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>none (outputs are numbered)</source>
        <translation>无（输出按序号编号）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>, … (%1 in all)</source>
        <translation>，…（共 %1 个）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>images resized to %1 × %2</source>
        <translation>图像缩放为 %1 × %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>grayscale</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>colour (RGB)</source>
        <translation>彩色（RGB）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pixels scaled from 0–255 to 0–1</source>
        <translation>像素从 0–255 缩放到 0–1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>scaled by %1</source>
        <translation>乘以 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>mean %1, standard deviation %2</source>
        <translation>均值 %1，标准差 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>tokenizer: %1</source>
        <translation>分词器：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none: the model takes its inputs as they are</source>
        <translation>无：模型直接接收原始输入</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>imported (made outside the workbench)</source>
        <translation>导入（在工作台之外制作）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>made by %1</source>
        <translation>由 %1 生成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> from the model with SHA-256 %1…</source>
        <translation>，来源模型的 SHA-256 为 %1…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The card cannot be shown: %1</source>
        <translation>无法显示模型卡：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>preprocessing</source>
        <translation>预处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lineage</source>
        <translation>谱系</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>note</source>
        <translation>注意</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this card was guessed from the model; check it in Inspect › Card</source>
        <translation>此模型卡是根据模型推断的；请在“检查 › 模型卡”中核对</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <location filename="../app/cli/cli_util.cpp" line="+57"/>
        <source>maas: error: %1</source>
        <translation>maas：错误：%1</translation>
    </message>
    <message>
        <location filename="../app/cli/cli_util.h" line="+79"/>
        <source>Print JSON instead of text.</source>
        <translation>输出 JSON 而不是文本。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use N LibTorch threads (default: one per core; or set MAAS_THREADS).</source>
        <translation>使用 N 个 LibTorch 线程（默认：每个核心一个；也可设置 MAAS_THREADS）。</translation>
    </message>
    <message>
        <location filename="../app/cli/cli_util.cpp" line="-8"/>
        <source>%1 %2</source>
        <comment>a command-line flag, then what is wrong with its value</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>--%1 must be a whole number from %2 to %3, not &apos;%4&apos;.</source>
        <translation>--%1 必须是 %2 到 %3 之间的整数，而不是“%4”。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>--%1 must be a number, such as 0.5, not &apos;%2&apos;.</source>
        <translation>--%1 必须是数字（如 0.5），而不是“%2”。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--%1 takes whole numbers from %2 to %3 separated by commas, such as 1,2,4, not &apos;%4&apos;.</source>
        <translation>--%1 接受以逗号分隔、从 %2 到 %3 的整数，例如 1,2,4，而不是“%4”。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>--%1 must be a time above 0 and under a day, such as 5s, 500ms, 2m or 1h, not &apos;%2&apos;.</source>
        <translation>--%1 必须是大于 0、小于一天的时长，例如 5s、500ms、2m 或 1h，而不是“%2”。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Show this help.</source>
        <translation>显示此帮助。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>missing arguments.</source>
        <translation>缺少参数。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;%1&apos; is one argument too many; see `%2 --help`.</source>
        <translation>“%1”是多余的参数；请参阅 `%2 --help`。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 Sizes separated by commas, with the batch first, and optionally a datatype after a colon: 1,3,224,224 or 1,32:INT64 (token ids). Without one, the card&apos;s datatype. Once per model input.</source>
        <translation>%1 用逗号分隔的尺寸，批量在前，冒号后可选数据类型：1,3,224,224 或 1,32:INT64（词元 ID）。不写则用模型卡片的数据类型。每个模型输入给一次。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--input-shape &apos;%1&apos; is not a shape; write positive sizes separated by commas, optionally with a datatype after a colon, e.g. 1,3,224,224 or 1,32:INT64 (one of BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, FP32, FP64).</source>
        <translation>--input-shape “%1”不是有效形状；请写用逗号分隔的正整数，冒号后可选数据类型，例如 1,3,224,224 或 1,32:INT64（可选 BOOL、UINT8、INT8、INT16、INT32、INT64、FP16、FP32、FP64）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>--input-shape &apos;%1&apos; has more than the limit of %2 values; give a smaller shape.</source>
        <translation>--input-shape“%1”超过了 %2 个值的上限；请给出更小的形状。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>--split must be train or test, not &apos;%1&apos;.</source>
        <translation>--split 必须是 train 或 test，而不是“%1”。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--image-size must look like 28x28, not &apos;%1&apos;.</source>
        <translation>--image-size 的格式应为 28x28，而不是“%1”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--image-size %1 is past the limit of %2 pixels a side and %3 pixels in all; give a smaller size.</source>
        <translation>--image-size %1 超过了上限（每边 %2 像素、总计 %3 像素）；请给出更小的尺寸。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>loading %1</source>
        <translation>正在加载 %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>maas: warning: %1</source>
        <translation>maas: 警告: %1</translation>
    </message>
    <message>
        <location filename="../app/cli/commands.cpp" line="+20"/>
        <source>structure, parameters, sizes and compute of a TorchScript model</source>
        <translation>TorchScript 模型的结构、参数、大小和计算量</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>run the model on tensor, CSV, image files or text</source>
        <translation>在张量、CSV、图像文件或文本上运行模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>show or edit the model card stored inside the model</source>
        <translation>查看或编辑模型内保存的模型卡片</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the forward graph, operator by operator (text, JSON or Graphviz DOT)</source>
        <translation>逐个算子显示前向计算图（文本、JSON 或 Graphviz DOT）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>latency percentiles, throughput and memory over batch sizes and threads, side by side</source>
        <translation>在不同批大小和线程数下并列给出延迟分位数、吞吐量和内存</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>time per operator and per layer against this machine&apos;s peak; Chrome trace</source>
        <translation>每个算子和每一层的耗时，对照本机峰值；Chrome 跟踪文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>build a new MLP, CNN, RNN or text classifier</source>
        <translation>构建新的 MLP、CNN、RNN 或文本分类器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>train (or fine-tune) a model, with checkpoints and resume</source>
        <translation>训练（或微调）模型，支持检查点和续训</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>accuracy, top-k, per-class precision/recall/F1, confusion matrix</source>
        <translation>准确率、top-k、各类别精确率/召回率/F1、混淆矩阵</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>freeze and rewrite a model for where it runs, checked against the original</source>
        <translation>冻结并按运行环境改写模型，并与原模型核对</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>int8 (dynamic, or static calibrated on data) or 16-bit weights, within an accuracy budget</source>
        <translation>int8（动态，或在数据上校准的静态）或 16 位权重，可设准确率预算</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>zero the smallest weights or remove whole channels, with fine-tuning</source>
        <translation>把最小的权重置零或移除整个通道，并可微调</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>train a smaller student from a teacher&apos;s answers</source>
        <translation>用教师模型的输出训练一个更小的学生模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>named MaaS endpoints and their tokens; &quot;local&quot; runs on this machine</source>
        <translation>命名的 MaaS 端点及其令牌；“local”在本机运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>send a model to an endpoint, then check it answers as it does here</source>
        <translation>把模型发布到端点，并检查它的回答与本地一致</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>models on an endpoint: list, call, unload, roll back</source>
        <translation>端点上的模型：列出、调用、卸载、回滚</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a Triton model repository folder (and a KServe manifest) for a cluster</source>
        <translation>为集群生成 Triton 模型仓库文件夹（及 KServe 清单）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the whole path on real data: train, quantize, measure, publish, call remotely</source>
        <translation>在真实数据上走完整条路径：训练、量化、测量、发布、远程调用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>two variants side by side: numbers, layers, operators</source>
        <translation>并排比较两个变体：数字、层、算子</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Usage: maas COMMAND [OPTIONS]

Make, shrink, measure and ship models for Model-as-a-Service.

Commands:
</source>
        <translation>用法：maas 命令 [选项]

为模型即服务构建、压缩、评测并发布模型。

命令：
</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>
Options:
  -h, --help       show this help; `maas COMMAND --help` shows a command&apos;s options
  -v, --version    show the versions of maas, Qt, LibTorch and the thread setting
</source>
        <translation>
选项：
  -h, --help       显示此帮助；`maas 命令 --help` 显示该命令的选项
  -v, --version    显示 maas、Qt、LibTorch 的版本和线程设置
</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>there is not enough memory for this; try a smaller batch, input or data set.</source>
        <translation>内存不足；请尝试更小的批次、输入或数据集。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unexpected failure: %1</source>
        <translation>意外失败：%1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&apos;%1&apos; is not a maas command; run `maas --help` for the list.</source>
        <translation>“%1”不是 maas 命令；运行 `maas --help` 查看命令列表。</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_card.cpp" line="+23"/>
        <location filename="../app/cli/commands_eval.cpp" line="+20"/>
        <location filename="../app/cli/commands_optimize.cpp" line="+178"/>
        <location line="+53"/>
        <location line="+86"/>
        <location line="+201"/>
        <location filename="../app/cli/commands_predict.cpp" line="+46"/>
        <location filename="../app/cli/commands_publish.cpp" line="+127"/>
        <location line="+133"/>
        <source>A TorchScript model (.pt).</source>
        <translation>TorchScript 模型（.pt）。</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_graph.cpp" line="+18"/>
        <source>Shows a TorchScript model&apos;s forward graph with submodule calls inlined: one line per operator, with the operators it takes its inputs from.</source>
        <translation>显示 TorchScript 模型的前向计算图（子模块调用已内联）：每个算子一行，并列出其输入来自哪些算子。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A TorchScript model (.pt), or an ONNX model (.onnx).</source>
        <translation>TorchScript 模型（.pt）或 ONNX 模型（.onnx）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print Graphviz DOT (render it with `dot -Tsvg`).</source>
        <translation>输出 Graphviz DOT（可用 `dot -Tsvg` 渲染）。</translation>
    </message>
    <message numerus="yes">
        <location line="+29"/>
        <source>%n operators</source>
        <translation>
            <numerusform>%n 个算子</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>, %n edges</source>
        <translation>
            <numerusform>，%n 条边</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/cli/commands_bench.cpp" line="+27"/>
        <source>Batch sizes to time, separated by commas (default 1).</source>
        <translation>要计时的批大小，以逗号分隔（默认 1）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Timed calls per configuration (default 50).</source>
        <translation>每种配置计时的调用次数（默认 50）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time each configuration for this long instead (5s, 500ms, 2m; a bare number is seconds).</source>
        <translation>改为让每种配置计时这么长时间（5s、500ms、2m；不带单位的数字表示秒）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name the batch size and threads with the most throughput whose p99 stays within TIME (20ms, 0.5s; a bare number is milliseconds).</source>
        <translation>给出 p99 不超过 TIME 时吞吐量最高的批大小和线程数（20ms、0.5s；不带单位的数字表示毫秒）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Print CSV instead of text.</source>
        <translation>输出 CSV 而不是文本。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--duration and --iterations cannot be given together; choose one.</source>
        <translation>--duration 和 --iterations 不能同时给出；请选择其一。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--json and --csv cannot be given together; choose one.</source>
        <translation>--json 和 --csv 不能同时给出；请选择其一。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>  loaded in %1 ms, first call %2 ms, peak memory %3 (%4 over the %5 before loading)</source>
        <translation>  加载用时 %1 ms，首次调用 %2 ms，内存峰值 %3（比加载前的 %5 多 %4）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  loaded in %1 ms, first call %2 ms, the process&apos;s peak memory %3 (it could not be reset: %4 over the %5 before loading, at most)</source>
        <translation>  加载用时 %1 ms，首次调用 %2 ms，进程内存峰值 %3（无法重置：最多比加载前的 %5 多 %4）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>  quantized engine: %1</source>
        <translation>  量化引擎：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  batch  threads (LibTorch/BLAS)  calls      min      p50      p90      p95      p99      max     mean     cv   samples/s</source>
        <translation>  批大小  线程 (LibTorch/BLAS)      调用      最小      p50      p90      p95      p99      最大     平均   变异系数  样本/秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>  p50 vs first  throughput vs first</source>
        <translation>  p50 与第一个之比  吞吐量与第一个之比</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>  (another engine call held the threads while this was timed: not this setting&apos;s numbers alone)</source>
        <translation>  （计时期间另一个引擎调用占用了线程：这些数字不只属于此设置）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>  the calls vary a lot (coefficient of variation up to %1): something else is using the cores; time again on an idle machine, or for longer with --duration.</source>
        <translation>  各次调用差别很大（变异系数最高 %1）：有别的程序在占用处理器核心；请在空闲的机器上重新计时，或用 --duration 计时更久。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>  within %1 ms: no configuration; the lowest p99 is %2 ms.</source>
        <translation>  %1 ms 以内：没有满足的配置；最低的 p99 为 %2 ms。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>  within %1 ms: batch %2 with %3 threads, %4 samples/s at p99 %5 ms.</source>
        <translation>  %1 ms 以内：批大小 %2、%3 个线程，每秒 %4 个样本，p99 为 %5 ms。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Times each model&apos;s forward pass at every batch size and thread count given: warm-up calls, then timed calls one after another on inputs of the card&apos;s shapes (values in [-1, 1) for numbers, ids below the embedding&apos;s size for token ids, a sentence for text models). Several models are shown side by side, with ratios to the first. --threads takes a list here, such as 1,2.</source>
        <translation>在给定的每个批大小和线程数下为每个模型的前向计算计时：先预热调用，然后在模型卡形状的输入上逐次计时调用（数字取 [-1, 1) 中的值，令牌 id 取小于嵌入表大小的值，文本模型取一句话）。多个模型并排显示，并给出相对第一个模型的比值。此处 --threads 接受一个列表，例如 1,2。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>TorchScript models (.pt) with cards.</source>
        <translation>带模型卡的 TorchScript 模型（.pt）。</translation>
    </message>
    <message numerus="yes">
        <location line="+22"/>
        <source>timing %1: batch %2, %n thread(s)</source>
        <translation>
            <numerusform>正在计时 %1：批大小 %2，%n 个线程</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <location filename="../app/cli/commands_inspect.cpp" line="+169"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Layers, by their own time:</source>
        <translation>各层，按自身耗时排序：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>module</source>
        <translation>模块</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+31"/>
        <source>self ms</source>
        <translation>自身 ms</translation>
    </message>
    <message>
        <location line="-30"/>
        <location line="+31"/>
        <source>total ms</source>
        <translation>总计 ms</translation>
    </message>
    <message>
        <location line="-30"/>
        <location line="+31"/>
        <source>share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>FLOPs</source>
        <translation>FLOPs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GFLOP/s</source>
        <translation>GFLOP/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>of peak</source>
        <translation>峰值占比</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(the model itself)</source>
        <translation>（模型本身）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Operators, by their own time:</source>
        <translation>各算子，按自身耗时排序：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>operator</source>
        <translation>算子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>calls</source>
        <translation>调用次数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>input shapes</source>
        <translation>输入形状</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Profiles the model&apos;s forward pass: each operator&apos;s time, each layer&apos;s time by module path (as the graph names them) with its GFLOP/s next to this machine&apos;s measured peak for that kind of work, a Chrome trace of one pass (opens in Perfetto) and folded stacks for flame graphs.</source>
        <translation>剖析模型的前向计算：每个算子的耗时，按模块路径（与计算图中的名称一致）给出每层的耗时及其 GFLOP/s，并与本机对同类计算实测的峰值对照；一次前向计算的 Chrome 跟踪文件（可在 Perfetto 中打开）；以及用于火焰图的折叠栈。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A TorchScript model (.pt) with a card.</source>
        <translation>带卡片的 TorchScript 模型（.pt）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Profiled passes (default 10).</source>
        <translation>剖析的前向次数（默认 10）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unprofiled passes first (default 3).</source>
        <translation>先运行的不剖析的前向次数（默认 3）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write one pass as a Chrome trace (JSON; open it in ui.perfetto.dev) to FILE.</source>
        <translation>把一次前向计算写成 Chrome 跟踪文件（JSON；可在 ui.perfetto.dev 中打开）到 FILE。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write folded stacks (module paths, then operators) for flamegraph.pl or speedscope to FILE.</source>
        <translation>把折叠栈（先模块路径，后算子）写到 FILE，供 flamegraph.pl 或 speedscope 使用。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the N largest layers and operators (default 15; 0: all).</source>
        <translation>显示耗时最多的 N 个层和算子（默认 15；0 表示全部）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Measure this machine&apos;s peak again instead of using the cached one.</source>
        <translation>重新测量本机峰值，而不使用缓存的结果。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run on inputs of this shape instead of the card&apos;s.</source>
        <translation>在此形状的输入上运行，而不是模型卡中的形状。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>profiling</source>
        <translation>正在剖析</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1: input %2, %3 threads, %4 profiled passes</source>
        <translation>%1：输入 %2，%3 个线程，剖析了 %4 次前向</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>forward %1 ms; profiled %2 ms (%3 for the profiler); %4 GFLOP, %5 GFLOP/s</source>
        <translation>前向 %1 ms；剖析时 %2 ms（剖析器占 %3）；%4 GFLOP，%5 GFLOP/s</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>this machine&apos;s peak: %1 GFLOP/s for matrix products, %2 GFLOP/s for convolutions (%3)</source>
        <translation>本机峰值：矩阵乘法 %1 GFLOP/s，卷积 %2 GFLOP/s（%3）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>cached</source>
        <translation>已缓存</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>measured now</source>
        <translation>刚刚测得</translation>
    </message>
    <message>
        <location line="-321"/>
        <source>Untimed calls first (default 5).</source>
        <translation>先进行的不计时调用次数（默认 5）。</translation>
    </message>
    <message>
        <location filename="../app/cli/cli_util.cpp" line="-190"/>
        <source>--%1 must be a whole number of at least %2, not &apos;%3&apos;.</source>
        <translation>--%1 必须是不小于 %2 的整数，而不是“%3”。</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_bench.cpp" line="+150"/>
        <source>timing</source>
        <translation>计时中</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_inspect.cpp" line="-127"/>
        <source>Show layers down to this depth (default 2; 0: all).</source>
        <translation>显示到此深度的层（默认 2；0 表示全部）。</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ONNX, opset %1, IR version %2, made by %3</source>
        <translation>ONNX，算子集 %1，IR 版本 %2，由 %3 生成</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>an unnamed producer</source>
        <translation>未署名的生成工具</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>checker</source>
        <translation>检查器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed: %1</source>
        <translation>未通过：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 (%2) in %3 initializers</source>
        <translation>%1（%2），分布在 %3 个初始化器中</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>operators</source>
        <translation>算子</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>inspecting</source>
        <translation>正在检查</translation>
    </message>
    <message>
        <location line="-122"/>
        <location line="+80"/>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="-114"/>
        <source>Shows a TorchScript model&apos;s structure: layers, parameters, sizes on disk and in memory, and estimated compute for an input shape. An ONNX file (.onnx) shows its inputs, outputs, operators, parameters, metadata and the ONNX checker&apos;s verdict.</source>
        <translation>显示 TorchScript 模型的结构：层、参数、磁盘与内存占用，以及给定输入形状的估计计算量。对 ONNX 文件（.onnx）则显示其输入、输出、算子、参数、元数据和 ONNX 检查器的结论。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A TorchScript model (.pt), or an ONNX model (.onnx) to read.</source>
        <translation>要读取的 TorchScript 模型（.pt）或 ONNX 模型（.onnx）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Estimate compute for an input of this shape.</source>
        <translation>估算该形状输入的计算量。</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+41"/>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="-39"/>
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
        <location line="+81"/>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="-79"/>
        <location line="+81"/>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location line="-77"/>
        <location line="+28"/>
        <location line="+50"/>
        <source>parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="-77"/>
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
        <location line="+75"/>
        <source>on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>in memory</source>
        <translation>内存占用</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>compute</source>
        <translation>计算量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 MACs (%2 FLOPs) for input %3</source>
        <translation>输入 %3 时为 %1 次乘加（%2 FLOPs）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_bench.cpp" line="+45"/>
        <location filename="../app/cli/commands_inspect.cpp" line="+2"/>
        <source>type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_predict.cpp" line="-3"/>
        <source>Runs a model on inputs: image files (.png, .jpg), CSV files of numeric rows, tensor files (.npy, or a tensor saved with torch.save), or text for text models. Inputs are preprocessed and checked as the model card says.</source>
        <translation>在输入上运行模型：图像文件（.png、.jpg）、数值行组成的 CSV 文件、张量文件（.npy，或用 torch.save 保存的张量），文本模型则直接给文本。输入按模型卡片的说明进行预处理和检查。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Input files, or strings for a text model.</source>
        <translation>输入文件，文本模型则为字符串。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../app/cli/commands_remote.cpp" line="+241"/>
        <source>Show the K most likely classes (default 5).</source>
        <translation>显示最可能的 K 个类别（默认 5）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Also write the first output tensor to FILE (.npy).</source>
        <translation>同时把第一个输出张量写入 FILE（.npy）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>--output must name a .npy file, not &apos;%1&apos;.</source>
        <translation>--output 必须是 .npy 文件，而不是“%1”。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>running %1</source>
        <translation>正在运行 %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>sample %1</source>
        <translation>样本 %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>output %1 %2: %3%4</source>
        <translation>输出 %1 %2：%3%4</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>latency %1</source>
        <translation>延迟 %1</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_card.cpp" line="-3"/>
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
        <location line="+9"/>
        <source>--set &apos;%1&apos; needs KEY=VALUE, e.g. --set task=image-classification.</source>
        <translation>--set “%1”需要 KEY=VALUE 形式，例如 --set task=image-classification。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>card saved in %1</source>
        <translation>卡片已保存到 %1</translation>
    </message>
    <message>
        <location filename="../app/cli/cli_util.h" line="+9"/>
        <source>The data set: an IDX folder, an image folder (one subfolder per class) or a CSV file.</source>
        <translation>数据集：IDX 文件夹、图像文件夹（每个类别一个子文件夹）或 CSV 文件。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CSV: the column holding the class (default: label, else the last column).</source>
        <translation>CSV：存放类别的列（默认：label，否则为最后一列）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CSV: the column holding the text of a text data set (default: text).</source>
        <translation>CSV：文本数据集中存放文本的列（默认：text）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>IDX folders: train or test (the t10k files).</source>
        <translation>IDX 文件夹：train 或 test（t10k 文件）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use only the first N samples (for quick runs).</source>
        <translation>只使用前 N 个样本（用于快速运行）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Image folders: resize every image to WxH (default: the first image&apos;s size).</source>
        <translation>图像文件夹：把每张图像缩放为 WxH（默认：第一张图像的尺寸）。</translation>
    </message>
    <message>
        <location filename="../app/cli/cli_util.cpp" line="+167"/>
        <source>reading %1</source>
        <translation>正在读取 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>maas: skipped %1 unreadable samples (first: %2)</source>
        <translation>maas：跳过了 %1 个无法读取的样本（第一个：%2）</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_new.cpp" line="+43"/>
        <source>Builds a new model as TorchScript: an MLP, a CNN, an RNN (LSTM or GRU) or a text classifier. Give the architecture&apos;s fields with --set or a JSON --spec file, and the classes and input shape directly or from a data set with --data.</source>
        <translation>以 TorchScript 形式构建新模型：MLP、CNN、RNN（LSTM 或 GRU）或文本分类器。用 --set 或 JSON 格式的 --spec 文件给出架构字段，类别和输入形状可直接给出，或用 --data 从数据集获取。</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>mlp, cnn, rnn or text.</source>
        <translation>mlp、cnn、rnn 或 text。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A JSON file with the spec (see the fields below).</source>
        <translation>包含规格的 JSON 文件（字段见下文）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set a spec field, e.g. --set hidden=256,128 --set dropout=0.2 (repeatable).</source>
        <translation>设置一个规格字段，例如 --set hidden=256,128 --set dropout=0.2（可重复）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number of classes.</source>
        <translation>类别数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Class names, comma separated.</source>
        <translation>类别名称，用逗号分隔。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shape of one sample, e.g. 1,28,28.</source>
        <translation>单个样本的形状，例如 1,28,28。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Where to write the model (.pt).</source>
        <translation>模型的写入位置（.pt）。</translation>
    </message>
    <message>
        <location line="+59"/>
        <location filename="../app/cli/commands_optimize.cpp" line="-381"/>
        <location filename="../app/cli/commands_train.cpp" line="+88"/>
        <source>give the file to write with -o FILE.pt.</source>
        <translation>请用 -o FILE.pt 指定要写入的文件。</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>--set &apos;%1&apos; needs KEY=VALUE, e.g. --set hidden=256,128.</source>
        <translation>--set “%1”需要 KEY=VALUE 形式，例如 --set hidden=256,128。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>--input-shape &apos;%1&apos; is not a shape; write positive sizes separated by commas.</source>
        <translation>--input-shape “%1”不是有效形状；请写用逗号分隔的正整数。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>%1: a new %2 with %3 parameters, %4 classes, written to %5</source>
        <translation>%1：新的 %2，%3 个参数，%4 个类别，已写入 %5</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_train.cpp" line="-18"/>
        <source>Trains a model on a data set and writes the trained model. MODEL is a model file (one from maas new, or an imported TorchScript model to fine-tune); or leave it out and give --arch to build one for the data. Ctrl-C stops after the current batch; with --checkpoint, --resume continues exactly where it stopped.</source>
        <translation>在数据集上训练模型并写出训练好的模型。MODEL 是模型文件（由 maas new 生成，或导入的 TorchScript 模型用于微调）；也可以省略它并用 --arch 为该数据构建模型。按 Ctrl-C 会在当前批次后停止；配合 --checkpoint，--resume 能从停止处精确继续。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The model to train (.pt).</source>
        <translation>要训练的模型（.pt）。</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Where to write the trained model (.pt).</source>
        <translation>训练后模型的写入位置（.pt）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Build a new mlp, cnn, rnn or text model for the data instead of MODEL.</source>
        <translation>为数据构建新的 mlp、cnn、rnn 或 text 模型，代替 MODEL。</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_optimize.cpp" line="+262"/>
        <location filename="../app/cli/commands_train.cpp" line="+1"/>
        <source>Passes over the data (default 10).</source>
        <translation>遍历数据的轮数（默认 10）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../app/cli/commands_train.cpp" line="+2"/>
        <source>Samples per step (default 128).</source>
        <translation>每步的样本数（默认 128）。</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_train.cpp" line="+2"/>
        <source>sgd, adam or adamw (default adam).</source>
        <translation>sgd、adam 或 adamw（默认 adam）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Learning rate (default 0.001; 0.01 for text classifiers).</source>
        <translation>学习率（默认 0.001；文本分类器为 0.01）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SGD momentum (default 0.9).</source>
        <translation>SGD 动量（默认 0.9）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SGD with Nesterov momentum.</source>
        <translation>使用 Nesterov 动量的 SGD。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weight decay (default 0).</source>
        <translation>权重衰减（默认 0）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Learning-rate schedule: none, step, cosine or onecycle.</source>
        <translation>学习率调度：none、step、cosine 或 onecycle。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Step schedule: epochs between steps (default 5).</source>
        <translation>阶梯调度：每隔多少轮下降一次（默认 5）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step schedule: factor per step (default 0.1).</source>
        <translation>阶梯调度：每次下降的倍数（默认 0.1）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fraction held out for validation (default 0.1).</source>
        <translation>留作验证的比例（默认 0.1）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Random seed: the same seed repeats the same run (default 42).</source>
        <translation>随机种子：相同的种子会重复相同的运行（默认 42）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop after N epochs without better validation accuracy and keep the best epoch.</source>
        <translation>验证准确率连续 N 轮没有提高时停止，并保留最好的一轮。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write a checkpoint here after every epoch.</source>
        <translation>每轮结束后把检查点写到这里。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue from --checkpoint.</source>
        <translation>从 --checkpoint 继续。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep parameters whose names start with PREFIX as they are (repeatable).</source>
        <translation>名称以 PREFIX 开头的参数保持不变（可重复）。</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_eval.cpp" line="+10"/>
        <location filename="../app/cli/commands_train.cpp" line="+23"/>
        <source>give the data set with --data PATH.</source>
        <translation>请用 --data PATH 指定数据集。</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_train.cpp" line="+4"/>
        <source>give either a MODEL file or --arch to build one, not both or neither.</source>
        <translation>请给出 MODEL 文件或用 --arch 构建模型，二者选其一。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>--optimizer &apos;%1&apos; is not known; use sgd, adam or adamw.</source>
        <translation>--optimizer “%1”未知；请使用 sgd、adam 或 adamw。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--schedule &apos;%1&apos; is not known; use none, step, cosine or onecycle.</source>
        <translation>--schedule “%1”未知；请使用 none、step、cosine 或 onecycle。</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>training %1 on %2 (%3)</source>
        <translation>正在用 %2 训练 %1（%3）</translation>
    </message>
    <message>
        <location line="-54"/>
        <source>training</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>epoch %1/%2 batch %3/%4 loss %5 %6 samples/s ETA %7</source>
        <translation>第 %1/%2 轮 第 %3/%4 批 损失 %5 %6 样本/秒 预计剩余 %7</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>epoch %1/%2  loss %3  accuracy %4  validation loss %5  accuracy %6  %7 samples/s  %8</source>
        <translation>第 %1/%2 轮  损失 %3  准确率 %4  验证损失 %5  准确率 %6  %7 样本/秒  %8</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>training cancelled after %1 epochs; nothing was written.</source>
        <translation>训练在 %1 轮后取消；没有写入任何文件。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>training cancelled; %1 holds epoch %2: continue with --resume.</source>
        <translation>训练已取消；%1 保存了第 %2 轮：可用 --resume 继续。</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>stopped early: no better validation accuracy for %1 epochs; kept epoch %2.</source>
        <translation>提前停止：验证准确率连续 %1 轮没有提高；保留第 %2 轮。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the model was still improving at the end: more epochs would probably help (--epochs %1, or --resume with a --checkpoint).</source>
        <translation>训练结束时模型仍在改进：更多轮次可能会有帮助（--epochs %1，或配合 --checkpoint 使用 --resume）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>trained model written to %1</source>
        <translation>训练好的模型已写入 %1</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_eval.cpp" line="-13"/>
        <source>Scores a model on a labelled data set: loss, accuracy, top-k accuracy, per-class precision, recall and F1, and the confusion matrix. IDX folders use their test split unless --split says otherwise.</source>
        <translation>在带标签的数据集上评估模型：损失、准确率、top-k 准确率、各类别的精确率、召回率和 F1，以及混淆矩阵。IDX 文件夹默认使用测试集，除非 --split 另有指定。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>K for top-k accuracy (default 5).</source>
        <translation>top-k 准确率中的 K（默认 5）。</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+2"/>
        <source>evaluating</source>
        <translation>正在评估</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 samples  loss %2  accuracy %3  top-%4 accuracy %5</source>
        <translation>%1 个样本  损失 %2  准确率 %3  top-%4 准确率 %5</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>confusion matrix (rows: true class, columns: predicted)</source>
        <translation>混淆矩阵（行：真实类别，列：预测类别）</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_optimize.cpp" line="-300"/>
        <source>before</source>
        <translation>之前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>after</source>
        <translation>之后</translation>
    </message>
    <message>
        <location line="-66"/>
        <location line="+451"/>
        <source>change</source>
        <translation>变化</translation>
    </message>
    <message>
        <location line="-450"/>
        <source>size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>smaller</source>
        <translation>更小</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+3"/>
        <source>larger</source>
        <translation>更大</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>size, gzip</source>
        <translation>大小（gzip）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nonzero</source>
        <translation>非零</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>latency b1</source>
        <translation>延迟 b1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>faster</source>
        <translation>更快</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+2"/>
        <source>slower</source>
        <translation>更慢</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>latency b16</source>
        <translation>延迟 b16</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+28"/>
        <source>%1 points</source>
        <translation>%1 个百分点</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+416"/>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="-416"/>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>form</source>
        <translation>形式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>drop alone</source>
        <translation>单独下降</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>zeros</source>
        <translation>零值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>kept: %1</source>
        <translation>保留：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>student</source>
        <translation>学生</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the student trained alone: %1; distilled: %2 (%3 points)</source>
        <translation>学生单独训练：%1；蒸馏后：%2（%3 个百分点）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>quantized engine: %1 (%2)</source>
        <translation>量化引擎：%1（%2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the faster on this model</source>
        <translation>在此模型上更快的一个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>as asked</source>
        <translation>按指定</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>written to %1</source>
        <translation>已写入 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>largest output difference %1; written to %2</source>
        <translation>最大输出差异 %1；已写入 %2</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Largest output difference allowed, relative to the outputs&apos; scale (default 0.0001).</source>
        <translation>允许的最大输出差异，相对于输出的量级（默认 0.0001）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where to write the converted model (.pt).</source>
        <translation>转换后模型的写入位置（.pt）。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>converting and measuring</source>
        <translation>正在转换并测量</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Quantizes a model&apos;s Linear layers to int8 (dynamic: weights stored as int8, one scale per output channel; inputs quantized on each call) and writes the result as a new model. Works on any TorchScript model. The quantized engine is the faster on this model unless --engine names one. With --max-drop and --data, each layer&apos;s accuracy drop is measured alone and the most sensitive layers stay in fp32 until the model&apos;s drop is within the budget. The outputs are checked against the original&apos;s on a sample batch. Prints size, weights, latency and accuracy before and after, and each layer&apos;s form.</source>
        <translation>把模型的线性层量化为 int8（动态量化：权重以 int8 存储，每个输出通道一个缩放系数；输入在每次调用时量化），并把结果写成新模型。适用于任何 TorchScript 模型。除非用 --engine 指定，量化引擎取在此模型上实测更快的一个。给出 --max-drop 和 --data 时，会逐层单独测量准确率下降，并让最敏感的层保持 fp32，直到整个模型的下降在预算之内。输出会在一个样本批次上与原模型核对。打印前后的大小、权重、延迟和准确率，以及每层的形式。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The quantized engine: %1 (default: the faster on this model, measured).</source>
        <translation>量化引擎：%1（默认：在此模型上实测更快的一个）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Accuracy points the model may lose on --data (such as 0.5); the most sensitive layers stay fp32.</source>
        <translation>模型在 --data 上最多可损失的准确率百分点（如 0.5）；最敏感的层保持 fp32。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Largest output difference allowed, relative to the outputs&apos; scale (default 0.1).</source>
        <translation>允许的最大输出差异，相对于输出的量级（默认 0.1）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where to write the quantized model (.pt).</source>
        <translation>量化后模型的写入位置（.pt）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>int8 (the default: Linear layers, dynamic), or fp16 or bf16: every weight stored in 16 bits and cast to fp32 when the model loads (half the file, fp32&apos;s speed).</source>
        <translation>int8（默认：线性层，动态量化），或 fp16、bf16：每个权重以 16 位存储，模型加载时转换为 fp32（文件减半，速度与 fp32 相同）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Static int8: Conv and Linear layers on int8 activations too, their ranges calibrated on the training split of --data (faster than dynamic on convolutions; needs --data).</source>
        <translation>静态 int8：卷积层和线性层的激活也使用 int8，其范围在 --data 的训练集上校准（对卷积比动态量化更快；需要 --data）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Static: samples of --data to calibrate on (default 512).</source>
        <translation>静态：用于校准的 --data 样本数（默认 512）。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>--calibration is for --static quantization.</source>
        <translation>--calibration 仅用于 --static 量化。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>calibrating, quantizing and measuring</source>
        <translation>正在校准、量化并测量</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>--sparsity must be a fraction such as 0.8, or a percentage such as 80%, not &apos;%1&apos;.</source>
        <translation>--sparsity 必须是小数（如 0.8）或百分比（如 80%），而不是“%1”。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Prunes a model: the weights of its Linear and convolution layers with the smallest magnitudes become zero, in one step or several, with fine-tuning on --data after each (--epochs; the zeros stay zero). The model keeps its shapes: it shrinks when compressed and in nonzero weights. With --structured, whole channels and neurons go instead, so the layers shrink and run faster; layers whose outputs meet another branch keep theirs. Prints size (as written and gzip-compressed), weights, latency and accuracy before and after, and each layer&apos;s share of zeros or its channels before and after.</source>
        <translation>剪枝模型：其线性层和卷积层中绝对值最小的权重被置零，可一步或分多步完成，每步之后在 --data 上微调（--epochs；零值保持为零）。模型形状不变：压缩后变小，非零权重变少。使用 --structured 时改为移除整个通道和神经元，层真正变小、运行更快；输出与其他分支汇合的层保留其通道。打印剪枝前后的大小（原始和 gzip 压缩后）、权重、延迟和准确率，以及每层的零值比例或剪枝前后的通道数。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The share of weights to set to zero: 0.8 or 80% (required).</source>
        <translation>要置零的权重比例：0.8 或 80%（必填）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove whole channels and neurons (with their batch-norm entries and the next layer&apos;s inputs), the same share in every layer that can lose them: the layers really shrink and run faster.</source>
        <translation>移除整个通道和神经元（连同其批归一化条目和下一层的对应输入），每个可剪的层移除相同比例：层真正变小、运行更快。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The same share in every layer (default: one threshold over all layers, so layers that matter less lose more).</source>
        <translation>每层使用相同比例（默认：所有层共用一个阈值，较不重要的层剪掉更多）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reach the sparsity in N equal steps (default 1).</source>
        <translation>分 N 个等量步骤达到稀疏度（默认 1）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Epochs of fine-tuning on --data after each step (default 0: none).</source>
        <translation>每步之后在 --data 上微调的轮数（默认 0：不微调）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fine-tuning&apos;s learning rate (default: the model&apos;s).</source>
        <translation>微调的学习率（默认：模型的默认值）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where to write the pruned model (.pt).</source>
        <translation>剪枝后模型的写入位置（.pt）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>give the share of weights to prune with --sparsity, such as 0.8 or 80%.</source>
        <translation>请用 --sparsity 给出要剪掉的权重比例，例如 0.8 或 80%。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--per-layer is for pruning single weights: --structured takes the same share of channels from every layer it narrows.</source>
        <translation>--per-layer 用于剪枝单个权重：--structured 会从每个可缩减的层移除相同比例的通道。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>pruning, fine-tuning and measuring</source>
        <translation>正在剪枝、微调并测量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>pruning and measuring</source>
        <translation>正在剪枝并测量</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>--student &apos;%1&apos; is not a JSON object such as {&quot;arch&quot;: &quot;mlp&quot;, &quot;hidden&quot;: [64]}.</source>
        <translation>--student &apos;%1&apos; 不是 JSON 对象，例如 {&quot;arch&quot;: &quot;mlp&quot;, &quot;hidden&quot;: [64]}。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>--student &apos;%1&apos; is not mlp, cnn, rnn or text, a JSON spec, or a spec file that exists.</source>
        <translation>--student &apos;%1&apos; 不是 mlp、cnn、rnn 或 text，不是 JSON 规格，也不是存在的规格文件。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The student to train: mlp, cnn, rnn or text, a JSON spec such as {&quot;arch&quot;: &quot;mlp&quot;, &quot;hidden&quot;: [64]}, or a spec file (required).</source>
        <translation>要训练的学生模型：mlp、cnn、rnn 或 text，JSON 规格（例如 {&quot;arch&quot;: &quot;mlp&quot;, &quot;hidden&quot;: [64]}），或规格文件（必填）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Softens both models&apos; answers before they are compared (default 2).</source>
        <translation>比较之前对两个模型的输出进行软化的温度（默认 2）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The teacher&apos;s share of the loss, from 0 (labels only) to 1 (default 0.5).</source>
        <translation>损失中来自教师的比例，从 0（只用标签）到 1（默认 0.5）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Learning rate (default: the student&apos;s).</source>
        <translation>学习率（默认：学生模型的默认值）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Random seed (default 42).</source>
        <translation>随机种子（默认 42）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Do not train the student alone for comparison (half the time).</source>
        <translation>不单独训练学生模型作对比（耗时减半）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where to write the student (.pt).</source>
        <translation>学生模型的写入位置（.pt）。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Distills a teacher into a student: a new model, usually smaller, learns from the labels of --data and from the teacher&apos;s answers softened by --temperature. Also trains the same student alone the same way (unless --no-baseline) to show what the teacher adds. Prints size, weights, latency and accuracy of teacher and student, and writes the student.</source>
        <translation>把教师模型蒸馏成学生模型：一个新的、通常更小的模型，同时从 --data 的标签和经 --temperature 软化的教师输出中学习。还会用相同方式单独训练同一个学生模型（除非指定 --no-baseline），以显示教师带来的提升。打印教师和学生的大小、权重、延迟和准确率，并写出学生模型。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A trained TorchScript model (.pt).</source>
        <translation>一个训练好的 TorchScript 模型（.pt）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>give the data set to train the student on with --data PATH.</source>
        <translation>请用 --data PATH 指定训练学生模型的数据集。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>give the student with --student, such as --student mlp.</source>
        <translation>请用 --student 指定学生模型，例如 --student mlp。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>distilling, training the student alone, measuring</source>
        <translation>正在蒸馏、单独训练学生模型并测量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>distilling and measuring</source>
        <translation>正在蒸馏并测量</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 zeros</source>
        <translation>%1 为零</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+5"/>
        <location line="+11"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+5"/>
        <location line="+12"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>operators that differ</source>
        <translation>不同的算子</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Both run the same operators.</source>
        <translation>两者运行相同的算子。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Compares two models, usually of one lineage (a model and what pruning, quantization or distillation made of it): size, weights, latency at batch 1 and 16 and, with --data, accuracy side by side; each layer&apos;s shape, form and share of zeros in both, and what changed; and the operators whose count differs.</source>
        <translation>比较两个模型，通常属于同一谱系（一个模型以及剪枝、量化或蒸馏由它得到的模型）：并排显示大小、权重、批大小 1 和 16 的延迟，以及使用 --data 时的准确率；两者中每层的形状、形式和零值比例及其变化；以及数量不同的算子。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another TorchScript model (.pt).</source>
        <translation>另一个 TorchScript 模型（.pt）。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>comparing and measuring</source>
        <translation>正在比较并测量</translation>
    </message>
    <message>
        <location line="-255"/>
        <source>quantizing and measuring</source>
        <translation>正在量化并测量</translation>
    </message>
    <message>
        <location line="-107"/>
        <source>Converts a model for where it will run and writes the result as a new model: frozen (weights become constants), with batch-norm folded into convolutions and LibTorch&apos;s other rewrites of frozen graphs; for --target mobile, LibTorch&apos;s optimize_for_mobile (XNNPACK&apos;s prepacked kernels), and with --lite a file for LibTorch Lite. The outputs are checked against the original&apos;s on a sample batch and the model is refused past the tolerance. Prints size, weights and latency (batch 1 and 16) before and after, and accuracy with --data.</source>
        <translation>按模型的运行位置进行转换，并把结果写为新模型：冻结（权重变为常量），把批归一化折叠进卷积，并应用 LibTorch 对冻结图的其他改写；使用 --target mobile 时应用 LibTorch 的 optimize_for_mobile（XNNPACK 预打包内核），使用 --lite 时另写一个供 LibTorch Lite 使用的文件。输出会在样本批次上与原模型比较，超出容差则拒绝。打印转换前后的大小、权重和延迟（批大小 1 和 16），使用 --data 时还打印准确率。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>cpu (the default: servers and desktops) or mobile (phones: XNNPACK&apos;s kernels, LibTorch Lite).</source>
        <translation>cpu（默认：服务器和台式机）或 mobile（手机：XNNPACK 内核，LibTorch Lite）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mobile target: also write the model for LibTorch Lite, the interpreter phones run (.ptl).</source>
        <translation>移动目标：另外为手机上运行的 LibTorch Lite 解释器写出模型（.ptl）。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>--target &apos;%1&apos; is not known; use cpu or mobile.</source>
        <translation>未知的 --target &apos;%1&apos;；请使用 cpu 或 mobile。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--lite is for --target mobile: the lite interpreter runs on phones.</source>
        <translation>--lite 用于 --target mobile：轻量解释器运行在手机上。</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>measuring each layer&apos;s sensitivity, quantizing</source>
        <translation>正在测量各层敏感度并量化</translation>
    </message>
    <message>
        <location line="-156"/>
        <source>largest output difference %1 (tolerance %2); written to %3</source>
        <translation>最大输出差异 %1（容差 %2）；已写入 %3</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_publish.cpp" line="-212"/>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 version %2 on %3 is this file already (SHA-256 %4); nothing was sent.
</source>
        <translation>%3 上的 %1 版本 %2 已是此文件（SHA-256 %4）；未发送任何内容。
</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>published %1 version %2 to %3: %4 by %5 in %6 s (%7)
</source>
        <translation>已将 %1 版本 %2 发布到 %3：%4，方式为%5，用时 %6 秒（%7）
</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>resumable upload</source>
        <translation>可续传上传</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>base64 load</source>
        <translation>base64 加载</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>verification %1: %2 samples, largest difference %3 (tolerance %4); local %5 ms, remote round trip %6 ms
</source>
        <translation>验证%1：%2 个样本，最大差异 %3（容差 %4）；本地 %5 毫秒，远程往返 %6 毫秒
</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_demo.cpp" line="+56"/>
        <source>the demo stopped: `maas %1` failed (its message is above).</source>
        <translation>演示已停止：`maas %1` 失败（其消息见上方）。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>apt-cache lists no packages here, so there is no text corpus; run apt-get update once, or give --text CSV with text and label columns.</source>
        <translation>apt-cache 在此处未列出任何软件包，因此没有文本语料；请先运行一次 apt-get update，或用 --text 给出包含 text 和 label 列的 CSV。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 cannot be written.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>starting the local endpoint</source>
        <translation>正在启动本地端点</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>publishing both int8 models to it, each verified against its local answers</source>
        <translation>正在把两个 int8 模型发布到该端点，并逐一与本地回答核对</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>calling them there: 64 Fashion-MNIST test images, and the seed&apos;s sentence</source>
        <translation>在端点上调用它们：64 张 Fashion-MNIST 测试图像，以及种子示例中的句子</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>MaaS demo, %1 s on this machine</source>
        <translation>MaaS 演示，在本机用时 %1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>model           variant  size       accuracy  latency b=1  b=16</source>
        <translation>模型            变体     大小       准确率    延迟 b=1     b=16</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>local endpoint %1: both int8 models published and verified (%2, %3)</source>
        <translation>本地端点 %1：两个 int8 模型均已发布并验证（%2，%3）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <location filename="../app/cli/commands_inspect.cpp" line="+45"/>
        <location filename="../app/cli/commands_publish.cpp" line="+2"/>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <location filename="../app/cli/commands_publish.cpp" line="+0"/>
        <source>FAILED</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>remote Fashion-MNIST: %1 of 64 test images right in one request, round trip %2 ms</source>
        <translation>远程 Fashion-MNIST：一次请求中 64 张测试图像的正确率 %1，往返 %2 毫秒</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>remote text: &quot;%1&quot; -&gt; %2 (%3)</source>
        <translation>远程文本：“%1” -&gt; %2（%3）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the endpoint keeps running: `maas remote list`, `maas remote infer fashion IMAGE`, `maas endpoint stop local`.</source>
        <translation>端点保持运行：`maas remote list`、`maas remote infer fashion IMAGE`、`maas endpoint stop local`。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The whole path on real data: trains a Fashion-MNIST classifier and a text classifier (on the descriptions of Debian&apos;s packages), quantizes both to int8 and measures each variant, starts the local endpoint, publishes both and calls them there, then prints a report. Under a minute here.</source>
        <translation>在真实数据上走完整条路径：训练一个 Fashion-MNIST 分类器和一个文本分类器（基于 Debian 软件包的描述），把两者量化为 int8 并测量每个变体，启动本地端点，发布两者并在端点上调用，最后打印报告。在本机不到一分钟。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Where the models go (default: maas-demo).</source>
        <translation>模型存放的位置（默认：maas-demo）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The Fashion-MNIST folder (default: Debian&apos;s dataset-fashion-mnist).</source>
        <translation>Fashion-MNIST 文件夹（默认：Debian 的 dataset-fashion-mnist）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A text CSV (text and label columns) instead of the Debian package descriptions.</source>
        <translation>用一个文本 CSV（text 和 label 列）代替 Debian 软件包描述。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>training a Fashion-MNIST classifier (an MLP, 3 epochs on 60,000 images)</source>
        <translation>正在训练 Fashion-MNIST 分类器（MLP，在 60,000 张图像上训练 3 轮）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>making the text corpus and training a text classifier on it</source>
        <translation>正在生成文本语料并在其上训练文本分类器</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>quantizing the Fashion-MNIST model to int8 and measuring both variants</source>
        <translation>正在把 Fashion-MNIST 模型量化为 int8 并测量两个变体</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>quantizing the text model to int8 and measuring both variants</source>
        <translation>正在把文本模型量化为 int8 并测量两个变体</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_publish.cpp" line="+7"/>
        <source>the answers differ, so %1 on %2 serves version %3 again.
</source>
        <translation>回答不一致，因此 %2 上的 %1 重新提供版本 %3。
</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the answers differ, so %1 on %2 is unloaded.
</source>
        <translation>回答不一致，因此已卸载 %2 上的 %1。
</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>local:</source>
        <translation>本地：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>remote:</source>
        <translation>远程：</translation>
    </message>
    <message>
        <location line="+42"/>
        <location filename="../app/cli/commands_remote.cpp" line="-2"/>
        <source>The endpoint (default: local).</source>
        <translation>端点（默认：local）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The model&apos;s name there (default: the file&apos;s).</source>
        <translation>模型在端点上的名称（默认：文件名）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Publish as version V (default: the next).</source>
        <translation>以版本 V 发布（默认：下一个版本）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Publish a new version even when the file is there.</source>
        <translation>即使文件已在端点上，也发布新版本。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send this Triton config (JSON, as `maas publish --print-config` writes it) instead of one made from the card.</source>
        <translation>发送此 Triton 配置（JSON，格式同 `maas publish --print-config` 的输出），而不是由模型卡生成的配置。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Print the config that would be sent, and stop.</source>
        <translation>打印将要发送的配置，然后停止。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+127"/>
        <source>max_batch_size in the config (default 64).</source>
        <translation>配置中的 max_batch_size（默认 64）。</translation>
    </message>
    <message>
        <location line="-125"/>
        <source>Send the file inside the load request (Triton&apos;s way) even when the endpoint takes uploads.</source>
        <translation>即使端点支持上传，也把文件放在加载请求中发送（Triton 的方式）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip comparing local and remote answers.</source>
        <translation>跳过本地与远程回答的比较。</translation>
    </message>
    <message>
        <location line="-117"/>
        <source>--config %1 cannot be read.</source>
        <translation>无法读取 --config %1。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--config %1 is not a JSON object; write one with --print-config.</source>
        <translation>--config %1 不是 JSON 对象；可用 --print-config 生成一个。</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>Publishes a model to an endpoint: the TorchScript file (or, with --format onnx, its ONNX form), a Triton config made from its card, and its labels; then checks that it is ready and that it answers as it does here, on the same samples. Publishing the same file again sends nothing.</source>
        <translation>把模型发布到端点：TorchScript 文件（或在 --format onnx 时为其 ONNX 形式）、根据模型卡生成的 Triton 配置及其标签；然后检查它已就绪，并在相同样本上回答与本地一致。再次发布同一文件不会发送任何内容。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The form to send: torchscript (default; Triton&apos;s PyTorch backend, and maas-serve) or onnx (exported here, for Triton&apos;s onnxruntime backend).</source>
        <translation>要发送的形式：torchscript（默认；Triton 的 PyTorch 后端，以及 maas-serve）或 onnx（在本机导出，供 Triton 的 onnxruntime 后端使用）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>With --format onnx: the ONNX opset, 13 to 17 (default 17).</source>
        <translation>配合 --format onnx：ONNX 算子集，13 到 17（默认 17）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>With --format onnx: one sample&apos;s shape, e.g. 1,28,28, when the card has none.</source>
        <translation>配合 --format onnx：单个样本的形状，例如 1,28,28，在模型卡没有给出时使用。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>--opset and --input-shape are for --format onnx.</source>
        <translation>--opset 和 --input-shape 仅用于 --format onnx。</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>publishing %1</source>
        <translation>正在发布 %1</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>--input-shape &apos;%1&apos; is not a shape; write positive sizes separated by commas, or -1 for an axis left open.</source>
        <translation>--input-shape “%1”不是有效形状；请写用逗号分隔的正整数，或用 -1 表示保持开放的维度。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>--onnx %1 is a folder; give a file name, such as model.onnx.</source>
        <translation>--onnx %1 是一个文件夹；请给出文件名，例如 model.onnx。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>folded %1 batch norms into their convolutions, removed %2 dropouts</source>
        <translation>已将 %1 个批归一化折叠进其卷积，移除 %2 个 dropout</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Write the model as ONNX to FILE (a dynamic batch axis, batch norms folded, the card in the metadata).</source>
        <translation>把模型以 ONNX 格式写入 FILE（批次维度可变，批归一化已折叠，模型卡写入元数据）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The ONNX opset, 13 to 17 (default 17).</source>
        <translation>ONNX opset，13 到 17（默认 17）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One sample&apos;s shape, e.g. 1,28,28, when the card has none.</source>
        <translation>单个样本的形状，例如 1,28,28，用于模型卡中没有形状时。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Check the ONNX file with ONNX&apos;s checker and shape inference (always done: a file that fails is not written).</source>
        <translation>用 ONNX 检查器和形状推断检查 ONNX 文件（总会进行：未通过的文件不会写出）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>maas export writes --triton DIR or --onnx FILE, one at a time.</source>
        <translation>maas export 一次只写 --triton DIR 或 --onnx FILE 其中之一。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--onnx needs the file to write, such as model.onnx.</source>
        <translation>--onnx 需要要写入的文件，例如 model.onnx。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>maas export needs --triton DIR, the repository folder to write into, or --onnx FILE.</source>
        <translation>maas export 需要 --triton DIR（要写入的仓库文件夹）或 --onnx FILE。</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>The repository folder to write into.</source>
        <translation>要写入的仓库文件夹。</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>wrote %1: ONNX opset %2, %3, %4 operators, %5 parameters; checked by ONNX&apos;s checker</source>
        <translation>已写入 %1：ONNX opset %2，%3，%4 个算子，%5 个参数；已通过 ONNX 检查器检查</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>wrote %1: the tokenizer&apos;s rules and vocabulary; the ONNX model takes token ids and offsets</source>
        <translation>已写入 %1：分词器的规则和词表；ONNX 模型接收词元 ID 和偏移量</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Writes a Triton model repository folder for a model (config.pbtxt, 1/model.pt, labels), which Triton&apos;s PyTorch backend serves as it is; with --kserve, also a KServe InferenceService that serves it from where you copy the folder; with --format onnx, the folder holds the model as ONNX for Triton&apos;s onnxruntime backend. With --onnx, writes the model as one ONNX file instead, for ONNX Runtime and the other runtimes that take it.</source>
        <translation>为模型写出 Triton 模型仓库文件夹（config.pbtxt、1/model.pt、标签），Triton 的 PyTorch 后端可直接提供服务；加 --kserve 时，还会写出一个 KServe InferenceService，从你复制文件夹的位置提供服务；加 --format onnx 时，文件夹中的模型为 ONNX 格式，供 Triton 的 onnxruntime 后端使用。加 --onnx 时，改为把模型写成单个 ONNX 文件，供 ONNX Runtime 及其他支持它的运行时使用。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The model&apos;s name (default: the file&apos;s).</source>
        <translation>模型名称（默认：文件名）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Also write NAME.kserve.yaml with this storageUri (where the repository will be, such as s3://bucket/models).</source>
        <translation>同时写出带此 storageUri 的 NAME.kserve.yaml（仓库将存放的位置，例如 s3://bucket/models）。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The form of the model in the --triton folder: torchscript (default; Triton&apos;s PyTorch backend) or onnx (its onnxruntime backend).</source>
        <translation>--triton 文件夹中模型的形式：torchscript（默认；Triton 的 PyTorch 后端）或 onnx（其 onnxruntime 后端）。</translation>
    </message>
    <message>
        <location line="-239"/>
        <source>--format is &apos;%1&apos;; use torchscript or onnx.</source>
        <translation>--format 为“%1”；请使用 torchscript 或 onnx。</translation>
    </message>
    <message>
        <location line="+262"/>
        <source>--opset and --input-shape are for --onnx FILE or --format onnx.</source>
        <translation>--opset 和 --input-shape 只用于 --onnx FILE 或 --format onnx。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--kserve needs the storageUri the repository will be copied to, such as s3://bucket/models.</source>
        <translation>--kserve 需要仓库将被复制到的 storageUri，例如 s3://bucket/models。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>wrote %1</source>
        <translation>已写出 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>wrote %1.kserve.yaml: copy %2 to %3, then kubectl apply -f it</source>
        <translation>已写出 %1.kserve.yaml：把 %2 复制到 %3，然后用 kubectl apply -f 应用它</translation>
    </message>
    <message>
        <location filename="../app/cli/commands_remote.cpp" line="-205"/>
        <source>%1 needs one of: %2. See `%1 --help`.</source>
        <translation>%1 需要以下之一：%2。参见 `%1 --help`。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>give the token one way: --token-file or --token-stdin.</source>
        <translation>请只用一种方式提供令牌：--token-file 或 --token-stdin。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>--token-file %1 cannot be read.</source>
        <translation>无法读取 --token-file %1。</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>the token must be one non-empty line; %1 holds %n line(s).</source>
        <translation>
            <numerusform>令牌必须是一行非空内容；%1 有 %n 行。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>standard input</source>
        <translation>标准输入</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Adds (or replaces) a named endpoint. Its token goes to the system keychain, or, where none runs, to a file only you can read; it is never taken on the command line.</source>
        <translation>添加（或替换）一个命名端点。其令牌存入系统钥匙串；没有钥匙串服务时存入只有你能读取的文件；令牌从不通过命令行传入。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+79"/>
        <source>The endpoint&apos;s name.</source>
        <translation>端点名称。</translation>
    </message>
    <message>
        <location line="-77"/>
        <source>Its address, such as https://models.example.com:8000.</source>
        <translation>端点地址，例如 https://models.example.com:8000。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read the token from FILE.</source>
        <translation>从 FILE 读取令牌。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the token from standard input.</source>
        <translation>从标准输入读取令牌。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send the token as the value of header NAME (Triton&apos;s --http-restricted-api) instead of &quot;Authorization: Bearer&quot;.</source>
        <translation>把令牌作为请求头 NAME 的值发送（Triton 的 --http-restricted-api），而不是“Authorization: Bearer”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Trust the CA in this PEM file.</source>
        <translation>信任此 PEM 文件中的 CA。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client certificate (PEM) for mutual TLS.</source>
        <translation>用于双向 TLS 的客户端证书（PEM）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The client certificate&apos;s key (PEM).</source>
        <translation>客户端证书的私钥（PEM）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accept a self-signed certificate (anyone in between could then read the traffic).</source>
        <translation>接受自签名证书（中间的任何人都可能读取通信内容）。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>maas: warning: no keychain service runs here, so the token is kept in %1, readable only by you.</source>
        <translation>maas：警告：此处没有运行钥匙串服务，因此令牌保存在 %1 中，只有你能读取。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>maas: warning: %1 accepts a self-signed certificate: its identity is not checked.</source>
        <translation>maas：警告：%1 接受自签名证书：不会检查其身份。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>added endpoint %1 (%2)</source>
        <translation>已添加端点 %1（%2）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Lists the endpoints; &quot;local&quot; is the built-in one on this machine.</source>
        <translation>列出端点；“local”是本机的内置端点。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>(starts when used)</source>
        <translation>（使用时启动）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>  (accepts self-signed certificates)</source>
        <translation>  （接受自签名证书）</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 (%2): %3 %4, %5; %6 model versions listed
extensions: %7
</source>
        <translation>%1（%2）：%3 %4，%5；列出 %6 个模型版本
扩展：%7
</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Usage: maas endpoint add NAME URL [--token-file F | --token-stdin] [TLS options]
       maas endpoint list | remove NAME | test NAME | stop local
Named MaaS endpoints; &quot;local&quot; is a maas-serve on this machine, started when used.
`maas endpoint VERB --help` shows a verb&apos;s options.
</source>
        <translation>用法：maas endpoint add NAME URL [--token-file F | --token-stdin] [TLS 选项]
      maas endpoint list | remove NAME | test NAME | stop local
命名的 MaaS 端点；“local”是本机上的 maas-serve，使用时启动。
`maas endpoint VERB --help` 显示某个动作的选项。
</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Removes an endpoint and its stored token.</source>
        <translation>删除一个端点及其保存的令牌。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&quot;local&quot; is built in and cannot be removed; `maas endpoint stop local` stops it.</source>
        <translation>“local”是内置端点，无法删除；`maas endpoint stop local` 可停止它。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>there is no endpoint named &quot;%1&quot;.</source>
        <translation>没有名为“%1”的端点。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>removed endpoint %1</source>
        <translation>已删除端点 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connects to an endpoint: server metadata, extensions, readiness, models.</source>
        <translation>连接到端点：服务器元数据、扩展、就绪状态、模型。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stops the local endpoint (its models stay in its repository).</source>
        <translation>停止本地端点（其模型保留在仓库中）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>only the local endpoint is started, and stopped, by maas.</source>
        <translation>只有本地端点由 maas 启动和停止。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped the local endpoint</source>
        <translation>已停止本地端点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the local endpoint was not running</source>
        <translation>本地端点未在运行</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The inputs are rows of numbers typed as CSV.</source>
        <translation>输入是以 CSV 形式键入的数字行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The version to serve.</source>
        <translation>要提供服务的版本。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The model&apos;s name on the endpoint.</source>
        <translation>模型在端点上的名称。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Image, CSV or tensor files, texts for a text model, or CSV rows with --rows.</source>
        <translation>图像、CSV 或张量文件，文本模型的文本，或配合 --rows 的 CSV 行。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>rollback needs --version V, the version to serve again.</source>
        <translation>rollback 需要 --version V，即要重新提供服务的版本。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Lists an endpoint&apos;s models: versions and states.</source>
        <translation>列出端点上的模型：版本和状态。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 serves no models yet; publish one with `maas publish MODEL --to %1`.</source>
        <translation>%1 还没有提供任何模型；可用 `maas publish MODEL --to %1` 发布一个。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A remote model&apos;s metadata and configuration.</source>
        <translation>远程模型的元数据和配置。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 has no model named %2.</source>
        <translation>%1 上没有名为 %2 的模型。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Runs a remote model on inputs, prepared as its card says, and shows its top classes and the round-trip time.</source>
        <translation>按模型卡的要求准备输入并运行远程模型，显示最可能的类别和往返时间。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 version %2 on %3, round trip %4 ms</source>
        <translation>%3 上的 %1 版本 %2，往返 %4 毫秒</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Stops serving a remote model (its files stay there).</source>
        <translation>停止提供远程模型（其文件保留在端点上）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Serves an earlier version of a remote model again.</source>
        <translation>重新提供远程模型的较早版本。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>unloaded %1 on %2</source>
        <translation>已卸载 %2 上的 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 on %2 serves version %3 again</source>
        <translation>%2 上的 %1 重新提供版本 %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Usage: maas remote list|info|infer|unload|rollback [MODEL] [--on ENDPOINT]
Models on a MaaS endpoint (default: local). `maas remote VERB --help` shows a verb&apos;s options.
</source>
        <translation>用法：maas remote list|info|infer|unload|rollback [MODEL] [--on ENDPOINT]
MaaS 端点上的模型（默认：local）。`maas remote VERB --help` 显示某个动作的选项。
</translation>
    </message>
</context>
<context>
    <name>Drops</name>
    <message>
        <location filename="../app/core/src/drops.cpp" line="+42"/>
        <source>%1 is a folder without IDX files or class subfolders of images; drop a data set folder, a CSV file or a TorchScript model.</source>
        <translation>%1 是一个既没有 IDX 文件、也没有按类别存放图像的子文件夹的文件夹；请拖放数据集文件夹、CSV 文件或 TorchScript 模型。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 cannot be read.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is not a TorchScript archive (a state_dict or a legacy pickle?); save the model with torch.jit.save.</source>
        <translation>%1 不是 TorchScript 归档（是 state_dict 或旧式 pickle？）；请用 torch.jit.save 保存模型。</translation>
    </message>
    <message>
        <location line="-15"/>
        <location line="+22"/>
        <source>%1 is neither a TorchScript model (.pt) nor a data set (IDX, CSV, image folder).</source>
        <translation>%1 既不是 TorchScript 模型（.pt），也不是数据集（IDX、CSV、图像文件夹）。</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Import %n model(s)</source>
        <translation>
            <numerusform>导入 %n 个模型</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Register data set: %1</source>
        <translation>登记数据集：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Register %n data set(s)</source>
        <translation>
            <numerusform>登记 %n 个数据集</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Inspect %1</source>
        <translation>检查 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing to import here.</source>
        <translation>这里没有可导入的内容。</translation>
    </message>
</context>
<context>
    <name>Endpoints</name>
    <message>
        <location filename="../app/core/src/endpoints.cpp" line="+49"/>
        <source>%1 cannot be read as the JSON object it should be; fix it or move it away (nothing was changed).</source>
        <translation>无法把 %1 读作应有的 JSON 对象；请修复或移走它（未作任何更改）。</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+6"/>
        <source>%1 cannot be written (%2).</source>
        <translation>无法写入 %1（%2）。</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>&quot;%1&quot; cannot name an endpoint: use up to 64 letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;.</source>
        <translation>“%1”不能作为端点名称：请使用最多 64 个字母、数字、“.”、“_”和“-”。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;%1&quot; is not an endpoint&apos;s address; give one such as https://models.example.com:8000.</source>
        <translation>“%1”不是端点地址；请给出例如 https://models.example.com:8000 的地址。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the address of %1 holds a user name or password; give the secret as its token instead.</source>
        <translation>%1 的地址中包含用户名或密码；请改为把密钥作为令牌提供。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is plain http, so its TLS settings would not be used; give an https:// address.</source>
        <translation>%1 是普通 http，因此不会使用其 TLS 设置；请给出 https:// 地址。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&quot;%1&quot; cannot name a header; use letters, digits and &apos;-&apos;, such as X-Api-Key.</source>
        <translation>“%1”不能作为请求头名称；请使用字母、数字和“-”，例如 X-Api-Key。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a client certificate needs its private key, and a key its certificate.</source>
        <translation>客户端证书需要其私钥，私钥也需要其证书。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 cannot be read; give the PEM file&apos;s path.</source>
        <translation>无法读取 %1；请给出 PEM 文件的路径。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 holds no PEM certificate.</source>
        <translation>%1 中没有 PEM 证书。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>&quot;local&quot; is the built-in endpoint on this machine; give yours another name.</source>
        <translation>“local”是本机的内置端点；请为你的端点另取名称。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>a token cannot hold line breaks or other control characters; check what was pasted.</source>
        <translation>令牌不能包含换行或其他控制字符；请检查粘贴的内容。</translation>
    </message>
</context>
<context>
    <name>GraphView</name>
    <message>
        <location filename="../widgets/src/graphview.cpp" line="+135"/>
        <source>Graphviz could not lay out the graph: its dot layout plugin is missing; reinstall the libgvc6 package.</source>
        <translation>Graphviz 无法布局该图：缺少其 dot 布局插件；请重新安装 libgvc6 软件包。</translation>
    </message>
</context>
<context>
    <name>Jobs</name>
    <message>
        <location filename="../app/core/src/jobs.cpp" line="+66"/>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>Library</name>
    <message>
        <location filename="../app/core/src/library.cpp" line="+33"/>
        <source>the library database %1 refused a statement (%2); it may be damaged: restore it from a backup.</source>
        <translation>模型库数据库 %1 拒绝执行一条语句（%2）；它可能已损坏：请从备份恢复。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the library database %1 could not be changed (%2); check the disk and its permissions.</source>
        <translation>无法修改模型库数据库 %1（%2）；请检查磁盘及其权限。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the library database %1 is busy or read-only (%2).</source>
        <translation>模型库数据库 %1 正忙或只读（%2）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the library database %1 could not save a change (%2).</source>
        <translation>模型库数据库 %1 无法保存更改（%2）。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>cannot create the library folder %1; choose a data folder you can write to in Settings.</source>
        <translation>无法创建模型库文件夹 %1；请在设置中选择一个可写的数据文件夹。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>cannot open the library database %1 (%2).</source>
        <translation>无法打开模型库数据库 %1（%2）。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>the library %1 was written by a newer MaaS Workbench (schema %2, this one knows %3); update the program or choose another data folder.</source>
        <translation>模型库 %1 由更新版本的 MaaS 工作台写入（架构版本 %2，本程序只支持 %3）；请更新程序或选择其他数据文件夹。</translation>
    </message>
    <message>
        <location line="+126"/>
        <source>cannot copy %1 into the library at %2; check the free space and permissions.</source>
        <translation>无法把 %1 复制到模型库的 %2；请检查剩余空间和权限。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>the edited card of %1 is not JSON; correct it and save again.</source>
        <translation>%1 编辑后的卡片不是 JSON；请更正后再次保存。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>cannot write %1; check the free space and permissions.</source>
        <translation>无法写入 %1；请检查可用空间和权限。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the model %1 is no longer in the library.</source>
        <translation>模型 %1 已不在模型库中。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>with this card the model is identical to %1, already in the library.</source>
        <translation>使用此卡片后，该模型与库中已有的 %1 完全相同。</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>the data set %1 was not recorded in the library.</source>
        <translation>数据集 %1 未能记录到模型库中。</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>cannot move %1 to the library&apos;s trash; check its permissions.</source>
        <translation>无法把 %1 移到模型库的回收站；请检查其权限。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>cannot move %1 back from the library&apos;s trash; check its permissions.</source>
        <translation>无法把 %1 从模型库的回收站移回；请检查其权限。</translation>
    </message>
</context>
<context>
    <name>LocalServe</name>
    <message>
        <location filename="../app/core/src/localendpoint.cpp" line="+94"/>
        <source>the local endpoint&apos;s token could not be made: %1</source>
        <translation>无法生成本地端点的令牌：%1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>the local endpoint did not start: %1 (its log: %2).</source>
        <translation>本地端点未能启动：%1（日志：%2）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>maas-serve ended at once</source>
        <translation>maas-serve 立即退出了</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the local endpoint did not start within two minutes; see its log, %1.</source>
        <translation>本地端点未在两分钟内启动；请查看其日志 %1。</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>maas-serve, the program behind the local endpoint, is not installed beside this one or on PATH; install it or set MAAS_SERVE to its path.</source>
        <translation>本地端点背后的程序 maas-serve 未安装在本程序旁边或 PATH 中；请安装它，或把 MAAS_SERVE 设为其路径。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>maas-serve (%1) could not be started.</source>
        <translation>无法启动 maas-serve（%1）。</translation>
    </message>
</context>
<context>
    <name>Publish</name>
    <message>
        <location filename="../app/core/src/publish.cpp" line="+145"/>
        <source>the model takes %1 inputs on the endpoint, and %2 were given.</source>
        <translation>该模型在端点上需要 %1 个输入，但给出了 %2 个。</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+475"/>
        <source>class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <location line="-410"/>
        <source>sample %1</source>
        <translation>样本 %1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 does not take models over its API (it lists no model_repository extension); a Triton server does with --model-control-mode=explicit.</source>
        <translation>%1 不通过其 API 接收模型（未列出 model_repository 扩展）；Triton 服务器使用 --model-control-mode=explicit 时可以。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>uploading</source>
        <translation>正在上传</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 takes models only inside one request, as base64, and this one would be %2 MB: past the 64 MiB a Triton server takes by default. Raise its --http-max-input-size, or publish to an endpoint with the resumable upload (maas-serve).</source>
        <translation>%1 只接受放在单个请求中的 base64 模型，而此模型将有 %2 MB：超过 Triton 服务器默认接受的 64 MiB。请调高其 --http-max-input-size，或发布到支持可续传上传的端点（maas-serve）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 cannot be read (%2).</source>
        <translation>无法读取 %1（%2）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>loading on the endpoint</source>
        <translation>正在端点上加载</translation>
    </message>
    <message>
        <location line="+170"/>
        <source>checking the model</source>
        <translation>正在检查模型</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>asking the endpoint</source>
        <translation>正在询问端点</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>version %1 of %2 on %3 is another model or config; leave out the version to publish the next one.</source>
        <translation>%3 上 %2 的版本 %1 是另一个模型或配置；请省略版本号以发布下一个版本。</translation>
    </message>
    <message>
        <location line="-64"/>
        <source>verifying</source>
        <translation>正在验证</translation>
    </message>
    <message>
        <location line="-413"/>
        <source>%1 is a text model, whose ONNX form takes token ids instead of text; publish it as TorchScript, which takes text, or export it with maas export --onnx and tokenize with its vocabulary file.</source>
        <translation>%1 是文本模型，其 ONNX 形式接收词元 ID 而不是文本；请以 TorchScript 形式发布（它接收文本），或用 maas export --onnx 导出并用其词表文件分词。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>no temporary folder can be made for the ONNX form (%1); free some space in the temporary folder.</source>
        <translation>无法为 ONNX 形式创建临时文件夹（%1）；请在临时文件夹中腾出一些空间。</translation>
    </message>
    <message>
        <location line="+188"/>
        <source>%1 serves %2 only, not %3; publish the TorchScript form there, and the ONNX form to a Triton server with the onnxruntime backend.</source>
        <translation>%1 只提供 %2，不提供 %3；请把 TorchScript 形式发布到那里，把 ONNX 形式发布到带 onnxruntime 后端的 Triton 服务器。</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>&quot;%1&quot; cannot name a model on an endpoint: use up to 128 letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, starting with a letter or digit.</source>
        <translation>“%1”不能作为端点上的模型名称：请使用最多 128 个字母、数字、“-”、“_”和“.”，并以字母或数字开头。</translation>
    </message>
    <message>
        <location line="+124"/>
        <source>cancelled; %1 on %2 serves what it served before.</source>
        <translation>已取消；%2 上的 %1 继续提供之前的版本。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>cancelled; nothing was sent.</source>
        <translation>已取消；未发送任何内容。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the config is for %1, and the model goes as %2; write one for it with --print-config%3.</source>
        <translation>该配置适用于 %1，而模型将以 %2 发送；请用 --print-config%3 为它生成配置。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 on %2 is served as %3; the %4 form would make its versions unable to roll back. Publish it under another --name.</source>
        <translation>%2 上的 %1 以 %3 提供服务；改用 %4 形式会使其各版本无法回滚。请用另一个 --name 发布。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 has no model named %2.</source>
        <translation>%1 上没有名为 %2 的模型。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 on %2 has no version %3; it has %4.</source>
        <translation>%2 上的 %1 没有版本 %3；它有 %4。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 has no model named %2; `maas remote list` shows what it serves.</source>
        <translation>%1 上没有名为 %2 的模型；`maas remote list` 显示它提供的模型。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>your input</source>
        <translation>你的输入</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>the ONNX model&apos;s tensor %1 is %2, which Triton&apos;s configs cannot name.</source>
        <translation>ONNX 模型的张量 %1 的类型是 %2，Triton 的配置无法表示该类型。</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>&quot;%1&quot; is not a storage address KServe reads; give one such as s3://bucket/models or gs://bucket/models.</source>
        <translation>“%1”不是 KServe 能读取的存储地址；请给出例如 s3://bucket/models 或 gs://bucket/models 的地址。</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+21"/>
        <source>%1 exists already; give another folder or name, or remove it.</source>
        <translation>%1 已存在；请换一个文件夹或名称，或者删除它。</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 是文件，不是文件夹。</translation>
    </message>
    <message>
        <location line="-72"/>
        <source>%1 cannot be written (%2).</source>
        <translation>无法写入 %1（%2）。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 cannot be read.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>%1 cannot be made.</source>
        <translation>无法创建 %1。</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../widgets/src/trainpage.cpp" line="+71"/>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
</context>
<context>
    <name>Remote</name>
    <message>
        <location filename="../app/core/src/remote.cpp" line="+368"/>
        <location line="+88"/>
        <location line="+208"/>
        <source>cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location line="-286"/>
        <source>cannot reach %1: %2; is the server running there?</source>
        <translation>无法连接 %1：%2；服务器在那里运行吗？</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 did not answer in time; it may be overloaded or stuck.</source>
        <translation>%1 未及时回答；它可能过载或卡住了。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the TLS connection to %1 failed (%2); check its certificate, the CA file, or the client certificate it asks for.</source>
        <translation>到 %1 的 TLS 连接失败（%2）；请检查其证书、CA 文件或它要求的客户端证书。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the connection to %1 failed: %2.</source>
        <translation>到 %1 的连接失败：%2。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 does not accept the endpoint&apos;s token (401); store the right one with `maas endpoint add`.</source>
        <translation>%1 不接受该端点的令牌（401）；请用 `maas endpoint add` 保存正确的令牌。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the endpoint&apos;s token may not do this on %1 (403): %2</source>
        <translation>该端点的令牌无权在 %1 上执行此操作（403）：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 refused a request this large (413): %2</source>
        <translation>%1 拒绝了这么大的请求（413）：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is limiting this token&apos;s requests (429); try again shortly.</source>
        <translation>%1 正在限制此令牌的请求（429）；请稍后重试。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 answered with a redirect (%2), which is not followed: it would take the token elsewhere; give the endpoint&apos;s final address.</source>
        <translation>%1 以重定向（%2）作答，但不会跟随：那会把令牌带到别处；请给出端点的最终地址。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 answered %2: %3</source>
        <translation>%1 回答 %2：%3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no reason given</source>
        <translation>未给出原因</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1: %2 answered with something that is not JSON; is it an inference server?</source>
        <translation>%1：%2 的回答不是 JSON；它是推理服务器吗？</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>asking for the server&apos;s metadata</source>
        <translation>获取服务器元数据</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>asking whether the server is live</source>
        <translation>检查服务器是否存活</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>asking whether the server is ready</source>
        <translation>检查服务器是否就绪</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>listing the models</source>
        <translation>列出模型</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>asking for %1&apos;s metadata</source>
        <translation>获取 %1 的元数据</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>asking for %1&apos;s statistics</source>
        <translation>获取 %1 的统计信息</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>asking for %1&apos;s configuration</source>
        <translation>获取 %1 的配置</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>loading %1</source>
        <translation>加载 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>unloading %1</source>
        <translation>卸载 %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>running %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 gave an answer that cannot be read: %2</source>
        <translation>%1 给出的回答无法读取：%2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 cannot be read (%2).</source>
        <translation>无法读取 %1（%2）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>uploading %1</source>
        <translation>上传 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: %2 answered with an upload id that is not one; is it a maas-serve?</source>
        <translation>%1：%2 返回的上传 id 无效；它是 maas-serve 吗？</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>uploading</source>
        <translation>正在上传</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 changed while it was being sent; publish it again.</source>
        <translation>%1 在发送过程中被更改；请重新发布。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: %2 says it holds another length than was sent; is it a maas-serve?</source>
        <translation>%1：%2 报告的长度与已发送的不同；它是 maas-serve 吗？</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1: %2 says it holds more than was sent; is it a maas-serve?</source>
        <translation>%1：%2 报告的内容多于已发送的；它是 maas-serve 吗？</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>there is no endpoint named &quot;%1&quot;; add it with `maas endpoint add` or on the Publish page.</source>
        <translation>没有名为“%1”的端点；请用 `maas endpoint add` 或在“发布”页添加。</translation>
    </message>
</context>
<context>
    <name>TryIt</name>
    <message>
        <location filename="../app/core/src/tryit.cpp" line="+36"/>
        <source>class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>your input</source>
        <translation>你的输入</translation>
    </message>
</context>
<context>
    <name>maas::app::Export</name>
    <message>
        <location filename="../app/core/src/publish.cpp" line="+28"/>
        <source>Exported %1: ONNX opset %2, %3, %4 operators; checked by ONNX&apos;s checker.</source>
        <translation>已导出 %1：ONNX opset %2，%3，%4 个算子；已通过 ONNX 检查器检查。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Its vocabulary is in %1.</source>
        <translation>其词表在 %1 中。</translation>
    </message>
</context>
<context>
    <name>maas::app::Inspect</name>
    <message>
        <location filename="../app/core/src/inspect.cpp" line="+30"/>
        <source>This ONNX graph has %1 operators, too many to draw; its layers are listed.</source>
        <translation>此 ONNX 计算图有 %1 个算子，太多无法绘制；已列出其各层。</translation>
    </message>
</context>
<context>
    <name>maas::app::JobManager</name>
    <message>
        <location filename="../app/core/src/jobs.cpp" line="+117"/>
        <source>There is not enough memory for this; try a smaller batch, input or data set.</source>
        <translation>内存不足；请尝试更小的批次、输入或数据集。</translation>
    </message>
</context>
<context>
    <name>maas::app::LibraryModel</name>
    <message>
        <location filename="../app/core/src/librarymodel.cpp" line="+135"/>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Exported to %1, no longer there</source>
        <translation>曾导出到 %1，现已不在该处</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1, with its vocabulary in %2</source>
        <translation>%1，词表在 %2 中</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 (moved or deleted)</source>
        <translation>%1（已移动或删除）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ONNX export, opset %1</source>
        <translation>ONNX 导出，算子集 %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
</context>
<context>
    <name>maas::app::WorkbenchController</name>
    <message>
        <location filename="../app/core/src/controller.cpp" line="+45"/>
        <source>Import %1</source>
        <translation>导入 %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Register %1</source>
        <translation>登记 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Registered data set %1: %n samples</source>
        <translation>
            <numerusform>已登记数据集 %1：%n 个样本</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Save the card of %1</source>
        <translation>保存 %1 的卡片</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Saved the card of %1.</source>
        <translation>已保存 %1 的卡片。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Measure %1</source>
        <translation>测量 %1</translation>
    </message>
    <message>
        <location line="+141"/>
        <source>Export %1 to ONNX</source>
        <translation>将 %1 导出为 ONNX</translation>
    </message>
</context>
<context>
    <name>maas::cli::BenchFlags</name>
    <message>
        <location filename="../app/cli/commands_bench.cpp" line="-187"/>
        <source>Time inputs of this shape instead of the card&apos;s (--batch replaces its first size).</source>
        <translation>为此形状的输入计时，而不是模型卡中的形状（--batch 会替换它的第一个维度）。</translation>
    </message>
</context>
<context>
    <name>maas::widgets</name>
    <message>
        <location filename="../widgets/src/pictures.cpp" line="+25"/>
        <location line="+22"/>
        <source>Cannot write %1 (%2): choose another folder.</source>
        <translation>无法写入 %1（%2）：请选择其他文件夹。</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Cannot encode %1 as PNG.</source>
        <translation>无法将 %1 编码为 PNG。</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+6"/>
        <source>Save picture</source>
        <translation>保存图片</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Save chart as picture…</source>
        <translation>将图表另存为图片…</translation>
    </message>
</context>
<context>
    <name>maas::widgets::BenchmarkPage</name>
    <message>
        <location filename="../widgets/src/benchmarkpage.cpp" line="+87"/>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Run benchmark</source>
        <translation>运行基准测试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export results…</source>
        <translation>导出结果…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Latency (ms)</source>
        <translation>延迟（毫秒）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Calls</source>
        <translation>调用次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Samples per second</source>
        <translation>每秒样本数</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+48"/>
        <location line="+39"/>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <location line="-87"/>
        <location line="+1"/>
        <source>Latency p50 (ms)</source>
        <translation>延迟 p50（毫秒）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Measurement (oldest first)</source>
        <translation>测量（从最早开始）</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The models to time, side by side; ratios are to the first checked one.</source>
        <translation>要并列计时的模型；比值相对于第一个勾选的模型。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Batch sizes separated by commas, such as 1,8,32.</source>
        <translation>以逗号分隔的批大小，例如 1,8,32。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thread counts separated by commas, such as 1,2.</source>
        <translation>以逗号分隔的线程数，例如 1,2。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How long to time each model at each batch size and thread count.</source>
        <translation>每个模型在每种批大小和线程数下计时的时长。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find the batch size and threads with the most throughput whose p99 stays within this latency.</source>
        <translation>找出 p99 不超过此延迟时吞吐量最高的批大小和线程数。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Batch sizes</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time per configuration</source>
        <translation>每种配置的时长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency budget (p99)</source>
        <translation>延迟预算（p99）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>p90</source>
        <translation>p90</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>p50 vs first</source>
        <translation>p50 与第一个之比</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Throughput vs first</source>
        <translation>吞吐量与第一个之比</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Peak memory</source>
        <translation>内存峰值</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Export results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The model and configuration whose latency histogram is shown.</source>
        <translation>显示其延迟直方图的模型和配置。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Latency histogram</source>
        <translation>延迟直方图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Throughput by batch size</source>
        <translation>吞吐量与批大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency by threads</source>
        <translation>延迟与线程数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every latency the library keeps for this model, a line per batch size and threads.</source>
        <translation>模型库为此模型保存的每次延迟，每种批大小和线程数一条线。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 and its variants: latency, throughput and memory on this machine.</source>
        <translation>%1 及其变体：在本机上的延迟、吞吐量和内存。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a model in the library to benchmark it and its variants.</source>
        <translation>在模型库中选择一个模型，对它及其变体进行基准测试。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Check at least one model to time.</source>
        <translation>请至少勾选一个要计时的模型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Batch sizes: write whole numbers from 1 to 65536 separated by commas, such as 1,8,32.</source>
        <translation>批大小：请填写以逗号分隔、从 1 到 65536 的整数，例如 1,8,32。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Threads: write whole numbers from 1 to 1024 separated by commas, such as 1,2.</source>
        <translation>线程数：请填写以逗号分隔、从 1 到 1024 的整数，例如 1,2。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Benchmark %1</source>
        <translation>基准测试 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Timing %n configuration(s)…</source>
        <translation>
            <numerusform>正在为 %n 种配置计时…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Timed %1 on this machine.</source>
        <translation>已在本机上为 %1 计时。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1, batch %2, %3 threads</source>
        <translation>%1，批大小 %2，%3 个线程</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>calls</source>
        <translation>调用</translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>%1, %n thread(s)</source>
        <translation>
            <numerusform>%1，%n 个线程</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, batch %2</source>
        <translation>%1，批大小 %2</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>batch %1, %n thread(s)</source>
        <translation>
            <numerusform>批大小 %1，%n 个线程</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Set a latency budget to find the configuration with the most throughput within it.</source>
        <translation>设置延迟预算，即可找出在预算内吞吐量最高的配置。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: batch %2 with %3 threads gives %4 at p99 %5.</source>
        <translation>%1：批大小 %2、%3 个线程可达 %4，p99 为 %5。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: no configuration keeps p99 within %2.</source>
        <translation>%1：没有配置能使 p99 不超过 %2。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Within %1 (p99):</source>
        <translation>在 %1 以内（p99）：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Run a benchmark first; then its results can be exported.</source>
        <translation>请先运行基准测试，然后才能导出结果。</translation>
    </message>
</context>
<context>
    <name>maas::widgets::CardEditor</name>
    <message>
        <location filename="../widgets/src/cardeditor.cpp" line="+40"/>
        <source>&amp;Save card</source>
        <translation>保存卡片(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;vert</source>
        <translation>还原(&amp;V)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One class name per line, in the order of the model&apos;s outputs</source>
        <translation>每行一个类别名称，顺序与模型输出一致</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Datatype</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shape (-1: any size)</source>
        <translation>形状（-1：任意大小）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scale</source>
        <translation>缩放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. 0.485, 0.456, 0.406</source>
        <translation>例如 0.485, 0.456, 0.406</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. 0.229, 0.224, 0.225</source>
        <translation>例如 0.229, 0.224, 0.225</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Std</source>
        <translation>标准差</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Image width × height</source>
        <translation>图像宽 × 高</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an image</source>
        <translation>非图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>gray</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RGB</source>
        <translation>RGB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
</context>
<context>
    <name>maas::widgets::ComparePage</name>
    <message>
        <location filename="../widgets/src/comparepage.cpp" line="+46"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Operator</source>
        <translation>算子</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Samples of the data set to measure accuracy on (0: all).</source>
        <translation>用于测量准确率的数据集样本数（0：全部）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models of the same lineage: the model it was made from, and what was made from it.</source>
        <translation>同一谱系的模型：它由之而来的模型，以及由它得到的模型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare with</source>
        <translation>比较对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accuracy on</source>
        <translation>准确率数据集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose a model in the library to compare it with its variants.</source>
        <translation>在模型库中选择一个模型，与它的变体进行比较。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 has no parent or children in the library yet: optimize it, or train it, and compare the result here.</source>
        <translation>%1 在模型库中还没有父模型或子模型：请先优化或训练它，再在这里比较结果。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (A) beside another model of its lineage (B).</source>
        <translation>%1（A）与其谱系中的另一个模型（B）并排比较。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No data set (no accuracy)</source>
        <translation>无数据集（不测准确率）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Choose a model and another model of its lineage to compare it with.</source>
        <translation>请选择一个模型以及其谱系中的另一个模型进行比较。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Compare %1 with %2</source>
        <translation>比较 %1 与 %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Measuring %1 and %2…</source>
        <translation>正在测量 %1 和 %2…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A is %1, B is %2.</source>
        <translation>A 是 %1，B 是 %2。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A is %1, B is %2: %3.</source>
        <translation>A 是 %1，B 是 %2：%3。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A: %1</source>
        <translation>A：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>B: %1</source>
        <translation>B：%1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1% zeros</source>
        <translation>%1% 为零</translation>
    </message>
</context>
<context>
    <name>maas::widgets::ConfusionMatrix</name>
    <message>
        <location filename="../widgets/src/confusionmatrix.cpp" line="+28"/>
        <source>Rows: true class. Columns: predicted class.</source>
        <translation>行：真实类别。列：预测类别。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>predicted: %1</source>
        <translation>预测：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 taken for %2: %3 of %4</source>
        <translation>%1 被判为 %2：%4 个中的 %3 个</translation>
    </message>
</context>
<context>
    <name>maas::widgets::GraphView</name>
    <message>
        <location filename="../widgets/src/graphview.cpp" line="+123"/>
        <source>%1 — its module takes %2 of the forward pass</source>
        <translation>%1 —— 其所在模块占前向计算的 %2</translation>
    </message>
</context>
<context>
    <name>maas::widgets::InspectorPage</name>
    <message>
        <location filename="../widgets/src/inspectorpage.cpp" line="+56"/>
        <source>Layer / parameter</source>
        <translation>层 / 参数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type / shape</source>
        <translation>类型 / 形状</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Norm</source>
        <translation>范数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save picture…</source>
        <translation>保存图片…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the graph</source>
        <translation>保存计算图</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SVG drawing (*.svg);;PNG image (*.png)</source>
        <translation>SVG 矢量图 (*.svg);;PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Find an operator or module (Enter: next)</source>
        <translation>查找算子或模块（回车：下一个）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No operator or module matches “%1”.</source>
        <translation>没有与“%1”匹配的算子或模块。</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Heat map</source>
        <translation>热力图</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Colour each operator by its module&apos;s share of the forward pass (profile the model on the Profile page first).</source>
        <translation>按所在模块占前向计算时间的比例为每个算子着色（请先在“剖析”页剖析该模型）。</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>Property</source>
        <translation>属性</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Graph</source>
        <translation>计算图</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Card</source>
        <translation>卡片</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>operator</source>
        <translation>算子</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>0% %1 %2 of the pass</source>
        <translation>0% %1 前向计算的 %2</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>inspecting…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Inspect %1</source>
        <translation>检查 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+39"/>
        <source>%n operators — click one for its details; Ctrl+wheel zooms</source>
        <translation>
            <numerusform>%n 个算子 — 点击查看详情；Ctrl+滚轮缩放</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 — %2 parameters in %3 tensors, %4 in memory</source>
        <translation>%1 — %2 个参数，共 %3 个张量，内存占用 %4</translation>
    </message>
    <message>
        <location line="+9"/>
        <source> — %1 MACs for one sample %2</source>
        <translation> — 单个样本 %2 需 %1 次乘加运算（MAC）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>(model)</source>
        <translation>（模型）</translation>
    </message>
</context>
<context>
    <name>maas::widgets::JobsPanel</name>
    <message>
        <location filename="../widgets/src/jobspanel.cpp" line="+66"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear finished</source>
        <translation>清除已结束</translation>
    </message>
</context>
<context>
    <name>maas::widgets::LayerBars</name>
    <message>
        <location filename="../widgets/src/profileviews.cpp" line="+24"/>
        <location line="+277"/>
        <source>(the model itself)</source>
        <translation>（模型本身）</translation>
    </message>
    <message>
        <location line="-261"/>
        <source>own time %1 (%2 of the pass), with submodules %3</source>
        <translation>自身耗时 %1（占前向计算的 %2），含子模块 %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 FLOPs at %2 GFLOP/s: %3 of this machine&apos;s peak of %4 GFLOP/s</source>
        <translation>%1 FLOPs，速度 %2 GFLOP/s：为本机峰值 %4 GFLOP/s 的 %3</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>red to green: 0% to 100% of this machine&apos;s peak GFLOP/s; grey: no arithmetic counted; pale: with submodules</source>
        <translation>红到绿：达到本机峰值 GFLOP/s 的 0% 到 100%；灰色：未计入算术运算；浅色：含子模块</translation>
    </message>
</context>
<context>
    <name>maas::widgets::LibraryPanel</name>
    <message>
        <location filename="../widgets/src/librarypanel.cpp" line="+26"/>
        <source>Filter by name, task or tag</source>
        <translation>按名称、任务或标签筛选</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Double-click a data set to train on it</source>
        <translation>双击数据集即可用它训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove from library (the files stay)</source>
        <translation>从模型库中移除（文件保留）</translation>
    </message>
</context>
<context>
    <name>maas::widgets::MessageBanner</name>
    <message>
        <location filename="../widgets/src/messagebanner.cpp" line="+23"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>maas::widgets::ModelOverview</name>
    <message>
        <location filename="../widgets/src/modeloverview.cpp" line="+26"/>
        <source>Measure latency</source>
        <translation>测量延迟</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit the card…</source>
        <translation>编辑模型卡…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>p50 latency, batch 1</source>
        <translation>p50 延迟，批大小 1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Times 50 calls of batch 1 on inputs of the card&apos;s shapes, after 5 warm-up calls</source>
        <translation>在 5 次预热调用之后，以批大小 1、符合卡片形状的输入计时 50 次调用</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>comma-separated, e.g. baseline, fashion; the library&apos;s filter finds them</source>
        <translation>以逗号分隔，例如 baseline, fashion；模型库的筛选可以找到它们</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&lt;b&gt;Model card&lt;/b&gt;</source>
        <translation>&lt;b&gt;模型卡&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lineage: imported</source>
        <translation>来源：导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lineage: %1 ─%2→ %3</source>
        <translation>来源：%1 ─%2→ %3</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>measuring…</source>
        <translation>测量中…</translation>
    </message>
</context>
<context>
    <name>maas::widgets::OptimizePage</name>
    <message>
        <location filename="../widgets/src/optimizepage.cpp" line="+46"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Lose at most</source>
        <translation>最多损失</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The same share in every layer</source>
        <translation>每层比例相同</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+280"/>
        <source>Optimize</source>
        <translation>优化</translation>
    </message>
    <message>
        <location line="-218"/>
        <source>Convert for CPU inference</source>
        <translation>为 CPU 推理转换</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Freezes the model (weights become constants), folds batch-norm into the convolutions and applies LibTorch&apos;s other rewrites of frozen graphs.</source>
        <translation>冻结模型（权重变为常量），把批归一化折叠进卷积，并应用 LibTorch 对冻结图的其他改写。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Quantize Linear layers to int8</source>
        <translation>把线性层量化为 int8</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stores the weights of every Linear layer as 8-bit integers (about 4x smaller) and quantizes their inputs on each call; works on any TorchScript model.</source>
        <translation>把每个线性层的权重存为 8 位整数（约小 4 倍），并在每次调用时量化其输入；适用于任何 TorchScript 模型。</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>The faster on this model (measured)</source>
        <translation>在此模型上更快的一个（实测）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The library of int8 kernels the quantized model runs on.</source>
        <translation>量化模型运行所用的 int8 计算库。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> accuracy points</source>
        <translation> 个准确率百分点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Measures each layer&apos;s accuracy drop alone on the data set and keeps the most sensitive layers in fp32 until the model&apos;s drop is within the budget.</source>
        <translation>在数据集上逐层单独测量准确率下降，并让最敏感的层保持 fp32，直到整个模型的下降在预算之内。</translation>
    </message>
    <message>
        <location line="-84"/>
        <source>Prune weights</source>
        <translation>剪枝权重</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sets the smallest weights of Linear and convolution layers to zero: the model compresses better, and fine-tuning on the data set after each step wins back accuracy.</source>
        <translation>把线性层和卷积层中最小的权重置零：模型更易压缩，每步之后在数据集上微调可以挽回准确率。</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>The share of weights set to zero.</source>
        <translation>置零的权重比例。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+344"/>
        <source>%1% zeros</source>
        <translation>%1% 为零</translation>
    </message>
    <message>
        <location line="-340"/>
        <source>Off: one threshold over all layers, so the layers that matter less lose more.</source>
        <translation>关闭时：所有层共用一个阈值，较不重要的层剪掉更多。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reach the sparsity in this many equal steps, fine-tuning after each.</source>
        <translation>分这么多个等量步骤达到稀疏度，每步之后微调。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epochs of training on the data set after each step; the zeros stay zero.</source>
        <translation>每步之后在数据集上训练的轮数；零值保持为零。</translation>
    </message>
    <message>
        <location line="-187"/>
        <source>The largest difference allowed between the outputs before and after on a sample batch, relative to the outputs&apos; scale. Past it, nothing is written.</source>
        <translation>在一个样本批次上，转换前后输出之间允许的最大差异（相对于输出的量级）。超出则不写入任何文件。</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Whole channels</source>
        <translation>整个通道</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Also train the student alone, to compare</source>
        <translation>同时单独训练学生模型以作对比</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sweep 10–90%</source>
        <translation>扫描 10–90%</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Samples of the data set to measure accuracy on (0: all).</source>
        <translation>用于测量准确率的数据集样本数（0：全部）。</translation>
    </message>
    <message>
        <location line="+271"/>
        <source>Before</source>
        <translation>之前</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>After</source>
        <translation>之后</translation>
    </message>
    <message>
        <location line="+311"/>
        <source>Size, gzip</source>
        <translation>大小（gzip）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Latency, batch 1</source>
        <translation>延迟（批次 1）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="-550"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Form</source>
        <translation>形式</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Drop alone, zeros or channels</source>
        <translation>单独下降、零值或通道</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Convert for mobile</source>
        <translation>为移动端转换</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LibTorch&apos;s optimize_for_mobile: frozen, batch-norm folded, Conv2d and Linear on XNNPACK&apos;s prepacked kernels (what phones run) with their activations fused. Made for ARM: latency here is this machine&apos;s, not the phone&apos;s.</source>
        <translation>LibTorch 的 optimize_for_mobile：冻结、折叠批归一化，卷积层和线性层改用 XNNPACK 的预打包内核（手机上运行的内核）并融合激活。它为 ARM 设计：这里测得的是本机延迟，而非手机上的延迟。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Quantize Conv and Linear layers to int8, calibrated</source>
        <translation>将卷积层和线性层量化为 int8（校准）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Static quantization: weights and the activations between layers are 8-bit integers, their ranges measured on samples of the data set&apos;s training split. Much faster on convolutions.</source>
        <translation>静态量化：权重和层间激活都是 8 位整数，其范围在数据集训练集的样本上测得。对卷积快得多。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Store weights as fp16</source>
        <translation>以 fp16 存储权重</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every weight stored in 16 bits (half the file) and cast to fp32 when the model loads: fp32&apos;s speed, answers within the tolerance.</source>
        <translation>每个权重以 16 位存储（文件减半），模型加载时转换为 fp32：速度与 fp32 相同，输出在容差之内。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Store weights as bf16</source>
        <translation>以 bf16 存储权重</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>As fp16, with bfloat16&apos;s range (no overflow of large weights) and less precision.</source>
        <translation>与 fp16 相同，但采用 bfloat16 的数值范围（大权重不会溢出），精度较低。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Distill into a smaller student</source>
        <translation>蒸馏为更小的学生模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trains a new, smaller model on the data set from the labels and from this model&apos;s answers, and the same student alone to show what the teacher adds.</source>
        <translation>在数据集上根据标签和本模型的输出训练一个新的、更小的模型，并单独训练同一个学生模型，以显示教师带来的提升。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+20"/>
        <source>Export to ONNX</source>
        <translation>导出为 ONNX</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Writes the model as an ONNX file for ONNX Runtime, TensorRT, OpenVINO and Triton&apos;s onnxruntime backend: batch norms folded, dropout removed, checked by ONNX&apos;s checker. A text model&apos;s vocabulary is written beside it.</source>
        <translation>把模型写成 ONNX 文件，供 ONNX Runtime、TensorRT、OpenVINO 和 Triton 的 onnxruntime 后端使用：批归一化已折叠、Dropout 已移除，并经 ONNX 检查器检查。文本模型的词表会写在它旁边。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The ONNX operator set the file declares: older runtimes need an older one.</source>
        <translation>文件声明的 ONNX 算子集：较旧的运行时需要较旧的算子集。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CNN</source>
        <translation>CNN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RNN</source>
        <translation>RNN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text classifier</source>
        <translation>文本分类器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The student&apos;s layer widths, comma-separated: hidden sizes of an MLP, channels of a CNN, the hidden size of an RNN or the embedding of a text classifier. Empty: the architecture&apos;s defaults.</source>
        <translation>学生模型各层的宽度，以逗号分隔：MLP 的隐藏层大小、CNN 的通道数、RNN 的隐藏大小或文本分类器的嵌入维度。留空：使用该架构的默认值。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Softens both models&apos; answers before they are compared: higher shows the student more of what the teacher thinks of the other classes.</source>
        <translation>比较之前软化两个模型的输出：越高，学生越能看到教师对其他类别的判断。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The teacher&apos;s share of the loss: 0 learns from the labels only, 1 from the teacher only.</source>
        <translation>损失中来自教师的比例：0 只从标签学习，1 只从教师学习。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Trains the same student the same way without the teacher (twice the time).</source>
        <translation>在没有教师的情况下以相同方式训练同一个学生模型（耗时加倍）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Samples of the data set&apos;s training split whose activations set the int8 ranges.</source>
        <translation>数据集训练集中用于确定 int8 范围的样本数。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1% of channels</source>
        <translation>%1% 的通道</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Removes whole channels and neurons, with their batch-norm entries and the next layer&apos;s inputs: the layers shrink and run faster. Layers whose outputs meet another branch keep theirs; the layers&apos; table says which and why.</source>
        <translation>移除整个通道和神经元，连同其批归一化条目和下一层的对应输入：层变小、运行更快。输出与其他分支汇合的层保留其通道；层表格会说明是哪些层以及原因。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Calibration samples</source>
        <translation>校准样本数</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>widths</source>
        <translation>宽度</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+56"/>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Teacher&apos;s share</source>
        <translation>教师比例</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opset</source>
        <translation>算子集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Static quantization calibrates on a data set: choose one under Accuracy on.</source>
        <translation>静态量化需要在数据集上校准：请在“准确率数据集”中选择一个。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>A student learns from a data set: choose one under Data set.</source>
        <translation>学生模型需要从数据集学习：请在“数据集”中选择一个。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The student&apos;s widths must be whole numbers from 1 to 65536, comma-separated, such as 64 or 128,64; &apos;%1&apos; is not.</source>
        <translation>学生模型的宽度必须是 1 到 65536 之间的整数，以逗号分隔，例如 64 或 128,64；&apos;%1&apos; 不是。</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Distill %1</source>
        <translation>蒸馏 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Training a student from %1, then the same student alone, and measuring both models…</source>
        <translation>正在用 %1 训练学生模型，再单独训练同一个学生模型，并测量两个模型…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training a student from %1 and measuring both models…</source>
        <translation>正在用 %1 训练学生模型并测量两个模型…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Calibrating and quantizing %1, then measuring it before and after…</source>
        <translation>正在校准并量化 %1，然后测量其前后表现…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Give the file to write the ONNX model to, such as %1.onnx.</source>
        <translation>请给出要写入 ONNX 模型的文件，例如 %1.onnx。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is a folder; give a file name in it, such as %2.onnx.</source>
        <translation>%1 是文件夹；请在其中给出文件名，例如 %2.onnx。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Exporting %1 to ONNX and checking the file…</source>
        <translation>正在将 %1 导出为 ONNX 并检查文件…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Saved as %1.</source>
        <translation>已保存为 %1。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Quantized engine: %1, the faster on this model.</source>
        <translation>量化引擎：%1，在此模型上更快的一个。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantized engine: %1, as asked.</source>
        <translation>量化引擎：%1，按指定。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The student trained alone: %1; distilled: %2 (%3 points).</source>
        <translation>学生单独训练：%1；蒸馏后：%2（%3 个百分点）。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>kept: %1</source>
        <translation>保留：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Accuracy, %</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Size, gzip (KB)</source>
        <translation>大小，gzip（KB）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency, batch 1 (ms)</source>
        <translation>延迟，批次 1（毫秒）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Double-click a variant (or a point on a chart) to keep it in the library.</source>
        <translation>双击一个变体（或图表上的一个点）即可把它保留到模型库。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>A sweep draws accuracy: choose a data set under Accuracy on.</source>
        <translation>扫描要绘制准确率：请在“准确率数据集”中选择一个数据集。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sweep %1</source>
        <translation>扫描 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Pruning %1 at 10% to 90% and measuring each variant…</source>
        <translation>正在以 10% 到 90% 的稀疏度剪枝 %1，并测量每个变体…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 variants, from %2 of accuracy before. Double-click one to keep it in the library.</source>
        <translation>共 %1 个变体，剪枝前准确率为 %2。双击其中一个即可保留到模型库。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Keep %1 pruned to %2%</source>
        <translation>保留剪枝到 %2% 的 %1</translation>
    </message>
    <message>
        <location line="-481"/>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tolerance</source>
        <translation>容差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantized engine</source>
        <translation>量化引擎</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accuracy budget</source>
        <translation>准确率预算</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+376"/>
        <source>Sparsity</source>
        <translation>稀疏度</translation>
    </message>
    <message>
        <location line="-375"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fine-tuning epochs</source>
        <translation>微调轮数</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+48"/>
        <source>Accuracy on</source>
        <translation>准确率数据集</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Make %1 smaller or faster. The result is checked against it and added to the library as its child; %1 itself does not change.</source>
        <translation>让 %1 更小或更快。结果会与它核对，并作为它的子模型加入模型库；%1 本身不会改变。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a model in the library to optimize it.</source>
        <translation>在模型库中选择一个模型以优化它。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>No data set (no accuracy)</source>
        <translation>不用数据集（不测准确率）</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%1 (%n samples)</source>
        <translation>
            <numerusform>%1（%n 个样本）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Tolerance must be a number above 0 and below 1, such as %1.</source>
        <translation>容差必须是大于 0 且小于 1 的数字，例如 %1。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Fine-tuning needs a data set to train on: choose one under Accuracy on.</source>
        <translation>微调需要一个用于训练的数据集：请在“准确率数据集”中选择一个。</translation>
    </message>
    <message>
        <location line="+59"/>
        <location line="+224"/>
        <source>Choose a model in the library first.</source>
        <translation>请先在模型库中选择一个模型。</translation>
    </message>
    <message>
        <location line="-289"/>
        <source>An accuracy budget needs a data set to measure the accuracy on: choose one under Accuracy on.</source>
        <translation>准确率预算需要一个数据集来测量准确率：请在“准确率数据集”中选择一个。</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Optimize %1</source>
        <translation>优化 %1</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Quantize %1</source>
        <translation>量化 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prune %1</source>
        <translation>剪枝 %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Pruning and fine-tuning %1, then measuring it before and after…</source>
        <translation>正在剪枝并微调 %1，然后测量前后的数据…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pruning %1 and measuring it before and after…</source>
        <translation>正在剪枝 %1 并测量剪枝前后的数据…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Measuring each layer&apos;s sensitivity, then quantizing %1 within the budget…</source>
        <translation>正在测量各层敏感度，然后在预算内量化 %1…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quantizing %1 and measuring it before and after…</source>
        <translation>正在量化 %1 并测量量化前后的数据…</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Converting %1 and measuring it before and after…</source>
        <translation>正在转换 %1 并测量转换前后的数据…</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Cancelled; nothing was written.</source>
        <translation>已取消；未写入任何文件。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Saved as %1. Largest output difference %2.</source>
        <translation>已保存为 %1。最大输出差异 %2。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved as %1. Largest output difference %2 (tolerance %3).</source>
        <translation>已保存为 %1。最大输出差异 %2（容差 %3）。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 points</source>
        <translation>%1 个百分点</translation>
    </message>
</context>
<context>
    <name>maas::widgets::ProfilePage</name>
    <message>
        <location filename="../widgets/src/profilepage.cpp" line="+48"/>
        <source>Profile</source>
        <translation>剖析</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export trace…</source>
        <translation>导出跟踪文件…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the card&apos;s, one sample</source>
        <translation>模型卡中的形状，一个样本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sizes separated by commas with the batch first, and optionally a datatype: 1,3,224,224 or 1,32:INT64. One shape per input, separated by semicolons.</source>
        <translation>以逗号分隔的各维大小，批大小在前，可选地加上数据类型：1,3,224,224 或 1,32:INT64。每个输入一个形状，以分号分隔。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Profiled forward passes; as many unprofiled ones tell the profiler&apos;s own cost.</source>
        <translation>剖析的前向计算次数；同样次数的不剖析运行用于得出剖析器自身的开销。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A Chrome trace of one pass (opens in ui.perfetto.dev), or folded stacks (.folded) for flame graph tools.</source>
        <translation>一次前向计算的 Chrome 跟踪文件（可在 ui.perfetto.dev 中打开），或供火焰图工具使用的折叠栈（.folded）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Input shape</source>
        <translation>输入形状</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passes</source>
        <translation>次数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Operator</source>
        <translation>算子</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Calls</source>
        <translation>调用次数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Own time</source>
        <translation>自身耗时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Total time</source>
        <translation>总耗时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Input shapes</source>
        <translation>输入形状</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Operators</source>
        <translation>算子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flame graph</source>
        <translation>火焰图</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Export trace</source>
        <translation>导出跟踪文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chrome trace (*.json);;Folded stacks (*.folded)</source>
        <translation>Chrome 跟踪文件 (*.json);;折叠栈 (*.folded)</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Where %1 spends its time, layer by layer and operator by operator.</source>
        <translation>%1 的时间花在哪里：逐层、逐算子。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a model in the library to profile it.</source>
        <translation>在模型库中选择一个模型来剖析它。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose a model in the library to profile.</source>
        <translation>请在模型库中选择要剖析的模型。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Input shape: &apos;%1&apos; is not a shape; write positive sizes separated by commas, such as 1,3,224,224, and optionally a datatype: 1,32:INT64.</source>
        <translation>输入形状：“%1”不是形状；请填写以逗号分隔的正整数，例如 1,3,224,224，可选地加上数据类型：1,32:INT64。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Profile %1</source>
        <translation>剖析 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Profiling %1…</source>
        <translation>正在剖析 %1…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Profiled %1.</source>
        <translation>已剖析 %1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Forward pass %1 (%2 while profiled: the profiler costs %3). %4 FLOPs, %5 GFLOP/s. This machine&apos;s peak with %6 threads: %7 GFLOP/s for matrix products, %8 GFLOP/s for convolutions.</source>
        <translation>前向计算 %1（剖析时 %2：剖析器开销 %3）。%4 FLOPs，%5 GFLOP/s。本机在 %6 个线程下的峰值：矩阵乘法 %7 GFLOP/s，卷积 %8 GFLOP/s。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Profile a model first; then its trace can be exported.</source>
        <translation>请先剖析一个模型，然后才能导出其跟踪文件。</translation>
    </message>
</context>
<context>
    <name>maas::widgets::PublishPage</name>
    <message>
        <location filename="../widgets/src/publishpage.cpp" line="+47"/>
        <source>Edit endpoint</source>
        <translation>编辑端点</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add endpoint</source>
        <translation>添加端点</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>unchanged</source>
        <translation>不变</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Authorization: Bearer</source>
        <translation>Authorization: Bearer</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+166"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="-165"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token header</source>
        <translation>令牌请求头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CA file (PEM)</source>
        <translation>CA 文件（PEM）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client certificate</source>
        <translation>客户端证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client key</source>
        <translation>客户端私钥</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server&apos;s identity will not be checked: anyone between you and it could read the token and the models.</source>
        <translation>不会检查服务器的身份：你与服务器之间的任何人都可能读取令牌和模型。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Allow a self-signed certificate</source>
        <translation>允许自签名证书</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>New version even if unchanged</source>
        <translation>即使未更改也发布新版本</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+63"/>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <location line="-62"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop local</source>
        <translation>停止本地端点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the local endpoint</source>
        <translation>停止本地端点</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The local endpoint is stopped.</source>
        <translation>本地端点已停止。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The local endpoint was not running.</source>
        <translation>本地端点未在运行。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>the model&apos;s name on the endpoint</source>
        <translation>模型在端点上的名称</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Max batch size</source>
        <translation>最大批大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TorchScript (Triton&apos;s PyTorch backend, maas-serve)</source>
        <translation>TorchScript（Triton 的 PyTorch 后端，maas-serve）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ONNX, exported here (Triton&apos;s onnxruntime backend)</source>
        <translation>ONNX，在本机导出（Triton 的 onnxruntime 后端）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ONNX sends the model exported to ONNX with a config for ONNX Runtime; maas-serve serves TorchScript only, so publish ONNX to a Triton server.</source>
        <translation>ONNX 会发送导出为 ONNX 的模型及适用于 ONNX Runtime 的配置；maas-serve 只提供 TorchScript，因此请把 ONNX 发布到 Triton 服务器。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ONNX opset</source>
        <translation>ONNX 算子集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>one sample&apos;s, such as 1,28,28; empty: the card&apos;s (-1 leaves an axis open)</source>
        <translation>单个样本的形状，例如 1,28,28；留空则用模型卡中的形状（-1 表示保持开放的维度）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ONNX input shape</source>
        <translation>ONNX 输入形状</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Triton config (generated from the card; edit before sending)</source>
        <translation>Triton 配置（由模型卡生成；发送前可编辑）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Here</source>
        <translation>本地</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+23"/>
        <source>On the endpoint</source>
        <translation>端点上</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unload</source>
        <translation>卸载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Roll back…</source>
        <translation>回滚…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>local (this computer)</source>
        <translation>local（本机）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Save endpoint %1</source>
        <translation>保存端点 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No keychain service runs here, so the token is kept in %1, readable only by you.</source>
        <translation>此处没有运行钥匙串服务，因此令牌保存在 %1 中，只有你能读取。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Remove endpoint</source>
        <translation>删除端点</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remove %1 and its stored token?</source>
        <translation>删除 %1 及其保存的令牌？</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove endpoint %1</source>
        <translation>删除端点 %1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Config for %1</source>
        <translation>%1 的配置</translation>
    </message>
    <message>
        <location line="-261"/>
        <source>The ONNX input shape &apos;%1&apos; is not a shape; write positive sizes separated by commas, -1 for an axis left open, or nothing for the card&apos;s.</source>
        <translation>ONNX 输入形状“%1”不是有效的形状；请填写以逗号分隔的正整数尺寸，用 -1 表示保持开放的维度，或留空以使用模型卡中的形状。</translation>
    </message>
    <message>
        <location line="+280"/>
        <source>%1: cancelled.</source>
        <translation>%1：已取消。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The config is not a JSON object; fix it, or choose the model again for a new one.</source>
        <translation>配置不是 JSON 对象；请修正，或重新选择模型以生成新配置。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Publish %1 to %2</source>
        <translation>发布 %1 到 %2</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 version %2 on %3 is this file already; nothing was sent.</source>
        <translation>%3 上的 %1 版本 %2 已是此文件；未发送任何内容。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Published %1 version %2 to %3: %4 in %5 s.</source>
        <translation>已将 %1 版本 %2 发布到 %3：%4，用时 %5 秒。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Verification passed</source>
        <translation>验证通过</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Verification FAILED</source>
        <translation>验证失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>: largest difference %1 (tolerance %2); here %3 ms, on the endpoint %4 ms (round trip).</source>
        <translation>：最大差异 %1（容差 %2）；本地 %3 毫秒，端点上 %4 毫秒（往返）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Version %1 serves again.</source>
        <translation>版本 %1 重新提供服务。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The model is unloaded.</source>
        <translation>模型已卸载。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>List %1</source>
        <translation>列出 %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test %1</source>
        <translation>测试 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 %2, %3; extensions: %4</source>
        <translation>%1 %2，%3；扩展：%4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+6"/>
        <source>Roll back %1</source>
        <translation>回滚 %1</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Serve version</source>
        <translation>提供版本</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Unload %1</source>
        <translation>卸载 %1</translation>
    </message>
</context>
<context>
    <name>maas::widgets::SampleBrowser</name>
    <message>
        <location filename="../widgets/src/samplebrowser.cpp" line="+50"/>
        <location line="+3"/>
        <source>sample %1</source>
        <translation>样本 %1</translation>
    </message>
</context>
<context>
    <name>maas::widgets::SettingsDialog</name>
    <message>
        <location filename="../widgets/src/settingsdialog.cpp" line="+27"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Automatic (%n cores)</source>
        <translation>
            <numerusform>自动（%n 个核心）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LibTorch &amp;threads</source>
        <translation>LibTorch 线程数(&amp;T)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Library folder</source>
        <translation>模型库文件夹</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Library &amp;folder</source>
        <translation>模型库文件夹(&amp;F)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The language applies at once (when no job is running); the library folder the next time the workbench starts.</source>
        <translation>语言立即生效（没有任务运行时）；模型库文件夹在下次启动工作台时生效。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 is a file, not a folder: choose a folder for the library.</source>
        <translation>%1 是文件而不是文件夹：请为模型库选择一个文件夹。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The workbench cannot write to %1: choose a folder you can write to.</source>
        <translation>工作台无法写入 %1：请选择一个可写的文件夹。</translation>
    </message>
</context>
<context>
    <name>maas::widgets::TimelineView</name>
    <message>
        <location filename="../widgets/src/profileviews.cpp" line="+79"/>
        <source>One forward pass, %1; operators below the ones that called them</source>
        <translation>一次前向计算，%1；被调用的算子位于调用者下方</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 in %2: %3 from %4; inputs %5</source>
        <translation>%2 中的 %1：从 %4 开始，耗时 %3；输入 %5</translation>
    </message>
</context>
<context>
    <name>maas::widgets::TrainPage</name>
    <message>
        <location filename="../widgets/src/trainpage.cpp" line="+42"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+133"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="-132"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CNN</source>
        <translation>CNN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RNN (LSTM)</source>
        <translation>RNN（LSTM）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text classifier</source>
        <translation>文本分类器</translation>
    </message>
    <message>
        <location line="-86"/>
        <location line="+87"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location line="-100"/>
        <location line="+103"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location line="-101"/>
        <location line="+104"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train on at most this many samples, for a quick first look.</source>
        <translation>最多用这么多样本训练，用于快速试跑。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic: 0.01 for text classifiers, 0.001 for the others.</source>
        <translation>自动：文本分类器为 0.01，其他为 0.001。</translation>
    </message>
    <message>
        <location line="-111"/>
        <location line="+113"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>%1 %2</source>
        <comment>a form field&apos;s label, then what is wrong with its value</comment>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+2"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+2"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save chart as picture…</source>
        <translation>将图表保存为图片…</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>hidden layer widths, e.g. 256, 128</source>
        <translation>隐藏层宽度，例如 256, 128</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>channels of each convolution block, e.g. 32, 64</source>
        <translation>每个卷积块的通道数，例如 32, 64</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LSTM width, e.g. 128</source>
        <translation>LSTM 宽度，例如 128</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>embedding width, e.g. 64</source>
        <translation>嵌入宽度，例如 64</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>as in the model being fine-tuned</source>
        <translation>与被微调的模型相同</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Fine-tune %1</source>
        <translation>微调 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>%1 (%n samples)</source>
        <translation>
            <numerusform>%1（%n 个样本）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Register a data set first: drop an IDX folder, an image folder or a CSV file on the window.</source>
        <translation>请先登记数据集：把 IDX 文件夹、图像文件夹或 CSV 文件拖放到窗口上。</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Layers: &apos;%1&apos; is not a positive whole number; write sizes separated by commas, e.g. 256, 128.</source>
        <translation>层：“%1”不是正整数；请填写以逗号分隔的大小，例如 256, 128。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Layers: this architecture takes one size, not %1.</source>
        <translation>层：此架构只接受一个大小，而不是 %1 个。</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Train %1</source>
        <translation>训练 %1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>epoch %1 of %2
loss %3
accuracy %4%
%5 samples/s
ETA %6</source>
        <translation>第 %1 轮，共 %2 轮
损失 %3
准确率 %4%
%5 样本/秒
预计剩余 %6</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Click a cell of the matrix to see its samples.</source>
        <translation>点击矩阵中的单元格查看其样本。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>saved as %1</source>
        <translation>已保存为 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Still improving at the end: more epochs would probably help.</source>
        <translation>训练结束时仍在改进：更多轮次可能会有帮助。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 recognised correctly</source>
        <translation>%1 识别正确</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 taken for %2</source>
        <translation>%1 被误认为 %2</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%1: %2 of %n validation samples</source>
        <translation>
            <numerusform>%1：显示 %n 个验证样本中的 %2 个</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>maas::widgets::TrashDialog</name>
    <message>
        <location filename="../widgets/src/trashdialog.cpp" line="+18"/>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trash</source>
        <translation>回收站</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>%1 — %2, %3 parameters</source>
        <translation>%1 — %2，%3 个参数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The trash is empty.</source>
        <translation>回收站是空的。</translation>
    </message>
</context>
<context>
    <name>maas::widgets::TryItPage</name>
    <message>
        <location filename="../widgets/src/tryitpage.cpp" line="+37"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose files…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Run on</source>
        <translation>运行于</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>One text per line</source>
        <translation>每行一段文本</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Input / class</source>
        <translation>输入 / 类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Inputs for %1</source>
        <translation>%1 的输入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inputs (%1);;All files (*)</source>
        <translation>输入 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>this computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>local endpoint</source>
        <translation>本地端点</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Type texts for %1, one per line, then Run.</source>
        <translation>为 %1 输入文本，每行一段，然后点击“运行”。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type token ids for %1, one sequence per line, separated by commas (or drop .npy files of ids), then Run.</source>
        <translation>为 %1 输入词元 ID，每行一个序列，用逗号分隔（或拖入 ID 的 .npy 文件），然后点击“运行”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type rows of raw values for %1, one per line, separated by commas (or drop CSV files), then Run.</source>
        <translation>为 %1 输入原始数值行，每行一个、以逗号分隔（或拖入 CSV 文件），然后点击运行。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Drop images, CSV rows or tensor files on this page to run %1 on them.</source>
        <translation>把图像、CSV 行或张量文件拖放到本页，即可用 %1 运行它们。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Type at least one text.</source>
        <translation>请至少输入一段文本。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Drop or choose at least one file.</source>
        <translation>请拖放或选择至少一个文件。</translation>
    </message>
    <message numerus="yes">
        <location line="+48"/>
        <source>round trip %1 for %n input(s)</source>
        <translation>
            <numerusform>%n 个输入的往返时间 %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="-49"/>
        <source>Type at least one row, or drop a file.</source>
        <translation>请至少输入一行，或拖入一个文件。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Try %1</source>
        <translation>试用 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Try %1 on %2</source>
        <translation>在 %2 上试用 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+39"/>
        <source>latency %1 for %n input(s)</source>
        <translation>
            <numerusform>%n 个输入的延迟为 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>maas::widgets::VariantTable</name>
    <message>
        <location filename="../widgets/src/varianttable.cpp" line="+15"/>
        <source>Before</source>
        <translation>之前</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>After</source>
        <translation>之后</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size, gzip</source>
        <translation>大小（gzip）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Nonzero weights</source>
        <translation>非零权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency, batch 1</source>
        <translation>延迟（批大小 1）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Latency, batch 16</source>
        <translation>延迟（批大小 16）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+2"/>
        <source>smaller</source>
        <translation>更小</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+2"/>
        <source>larger</source>
        <translation>更大</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>fewer</source>
        <translation>更少</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>more</source>
        <translation>更多</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>faster</source>
        <translation>更快</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+2"/>
        <source>slower</source>
        <translation>更慢</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 points</source>
        <translation>%1 个百分点</translation>
    </message>
</context>
<context>
    <name>maas::widgets::WelcomePage</name>
    <message>
        <location filename="../widgets/src/welcomepage.cpp" line="+53"/>
        <source>MaaS Workbench</source>
        <translation>MaaS 工作台</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Build or import a model, train it, make it smaller and faster, measure it and publish it — all on this machine.</source>
        <translation>构建或导入模型，训练它，让它更小更快，测量它并发布它——全部在本机完成。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Drop a TorchScript model or a data set here</source>
        <translation>把 TorchScript 模型或数据集拖放到这里</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Train on the Fashion-MNIST sample</source>
        <translation>用 Fashion-MNIST 示例训练</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open a model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&lt;b&gt;Recent models&lt;/b&gt;</source>
        <translation>&lt;b&gt;最近的模型&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>maas::widgets::WorkbenchWindow</name>
    <message>
        <location filename="../widgets/src/workbenchwindow.cpp" line="+94"/>
        <source>MaaS Workbench</source>
        <translation>MaaS 工作台</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inspect</source>
        <translation>检查</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Optimize</source>
        <translation>优化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Benchmark</source>
        <translation>基准测试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Profile</source>
        <translation>剖析</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try it</source>
        <translation>试用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Library</source>
        <translation>模型库</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Open a model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TorchScript models (*.pt *.pth);;All files (*)</source>
        <translation>TorchScript 模型 (*.pt *.pth);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open a model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Register a &amp;data set…</source>
        <translation>登记数据集(&amp;D)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Register a data set</source>
        <translation>登记数据集</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Export to ONNX…</source>
        <translation>导出为 ONNX(&amp;E)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a model in the library to export.</source>
        <translation>请先在模型库中选择要导出的模型。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export to ONNX</source>
        <translation>导出为 ONNX</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+6"/>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>&amp;Inspect an ONNX file…</source>
        <translation>检查 ONNX 文件(&amp;I)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Inspect an ONNX file</source>
        <translation>检查 ONNX 文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Trash…</source>
        <translation>回收站(&amp;T)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Move to trash</source>
        <translation>移到回收站(&amp;M)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About MaaS Workbench</source>
        <translation>关于 MaaS 工作台(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About MaaS Workbench</source>
        <translation>关于 MaaS 工作台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;MaaS Workbench %1&lt;/b&gt;&lt;p&gt;Make, shrink, measure and ship models for Model-as-a-Service.&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;</source>
        <translation>&lt;b&gt;MaaS 工作台 %1&lt;/b&gt;&lt;p&gt;为模型即服务构建、压缩、评测并发布模型。&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Remove from the list</source>
        <translation>从列表中移除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Take %1 off the list under its model? The file itself stays where it is.</source>
        <translation>要把 %1 从其模型下的列表中移除吗？文件本身仍保留在原处。</translation>
    </message>
    <message>
        <location line="+163"/>
        <source>%1 is no longer there: it was moved or deleted after the export. Export the model again from the Optimize page.</source>
        <translation>%1 已不在该处：导出后被移动或删除了。请在“优化”页面重新导出模型。</translation>
    </message>
    <message>
        <location line="-175"/>
        <source>No recent models</source>
        <translation>没有最近的模型</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Move to trash</source>
        <translation>移到回收站</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move %1 to the trash? You can restore it from File &gt; Trash.</source>
        <translation>将 %1 移到回收站？可以在“文件 &gt; 回收站”中恢复。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is in the trash (File &gt; Trash restores it).</source>
        <translation>%1 已移到回收站（可在“文件 &gt; 回收站”中恢复）。</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>The new language applies when the jobs have ended and the workbench starts again.</source>
        <translation>新语言将在任务结束、工作台再次启动后生效。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/workbench/main.cpp" line="+49"/>
        <source>Make, shrink, measure and ship models for Model-as-a-Service: a desktop workbench on LibTorch.</source>
        <translation>为模型即服务制作、压缩、测量和发布模型：基于 LibTorch 的桌面工作台。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Models (.pt) and data sets (IDX folders, image folders, CSV files) to open.</source>
        <translation>要打开的模型（.pt）和数据集（IDX 文件夹、图像文件夹、CSV 文件）。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>--screenshot needs a file name.</source>
        <translation>--screenshot 需要一个文件名。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>MaaS Workbench</source>
        <translation>MaaS 工作台</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose another library folder…</source>
        <translation>选择其他模型库文件夹…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Library folder</source>
        <translation>模型库文件夹</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Cannot write the screenshot %1.</source>
        <translation>无法写入截图 %1。</translation>
    </message>
</context>
</TS>
