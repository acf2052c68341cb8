"""The phrases read before the words, per language: English <= pattern."""

# Phrases read before the words: "english <= pattern" (a regular expression over the folded
# message, matched as whole words). English "-" drops the phrase, "!" marks one of deleting.
PHRASES = {
    "ru": r"""
        what changed <= что (?:изменилось|поменялось|нового|новенького)
        spending score <= (?:оценк|индекс|балл|рейтинг)\w* (?:трат|расход|покупок)\w*
        income <= годов\w* доход\w*
        who is <= кто (?:такой|такая|такие|такое|это)
        what is <= что за
        older than <= старше
        younger than <= (?:моложе|младше)
        over <= (?:больше|более|выше|свыше|от)(?= \d)
        under <= (?:меньше|менее|ниже|до)(?= \d)
        why <= (?:почему|зачем|отчего)
        per segment <= по (?:всем |каждому )?сегмент(?:ам|у)
        per segment <= (?:в каждом сегменте|для каждого сегмента|по группам)
        how was this found <= как (?:ты |вы |бот )?(?:наш[её]л|нашл|находил|выбрал|выбирал)\w*
        how was this found <= как (?:ты |вы |бот )?(?:разбил|разбивал|разделил|делил)\w*
        how was this found <= как (?:ты |вы |бот )?(?:определил|определял|посчитал|считал)\w*
        how was this found <= как (?:ты |вы |бот )?(?:получил|получались|построил|строил)\w*
        how was this found <= как (?:ты |вы |бот )?(?:сформировал|формировал)\w*
        how was this found <= по какому принципу
        what can you do <= что (?:\w+ ){0,2}?(?:умеешь|умеете)(?: делать)?
        what can you do <= что (?:ты |вы )?(?:можешь|можете)(?: делать)?
        how does this work <= как (?:(?:тобой|этим|ботом|им) )?пользоваться
        how does this work <= как (?:это |ты |бот )?работа(?:ет|ешь)
        how do i upload <= как (?:мне )?(?:загрузить|отправить|прислать|залить) (?:файл|данн)\w*
        hello <= (?:добр(?:ый|ое|ой) (?:день|утро|вечер)|доброго времени суток)
        thanks <= (?:большое спасибо|спасибо большое)
        best <= лучше (?:всех|всего)
        most <= (?:больше|чаще) (?:всех|всего)
        least <= (?:меньше|реже) (?:всех|всего)
        average <= в среднем
        how old <= сколько (?:им |ему |ей )?лет
        share of <= (?:какая |какой )?(?:доля|долю|процент|сколько процентов)(?: от)?
        what is the meaning of <= что (?:значит|означает|такое)
        for my boss <= для (?:моего |нашего |своего )?(?:начальник|руковод|босс|шеф)\w*
        for my boss <= для (?:моего |нашего |своего )?(?:директор|коллег|команд)\w*
        how big is <= насколько (?:велик|большой)
        ordinal 1 <= перв(?:ый|ая|ое|ом|ого|ому|ым|ую|ой)
        ordinal 2 <= втор(?:ой|ая|ое|ом|ого|ому|ым|ую)
        ordinal 3 <= трет(?:ий|ья|ье|ьем|ьего|ьему|ьим|ью|ьей)
        ordinal 4 <= четв[её]рт(?:ый|ая|ое|ом|ого|ому|ым|ую|ой)
        ordinal 5 <= пят(?:ый|ая|ое|ом|ого|ому|ым|ую|ой)
        ordinal 6 <= шест(?:ой|ая|ое|ом|ого|ому|ым|ую)
        ordinal 7 <= седьм(?:ой|ая|ое|ом|ого|ому|ым|ую)
        ordinal 8 <= восьм(?:ой|ая|ое|ом|ого|ому|ым|ую)
        ordinal 9 <= девят(?:ый|ая|ое|ом|ого|ому|ым|ую|ой)
        ordinal 10 <= десят(?:ый|ая|ое|ом|ого|ому|ым|ую|ой)
        first <= в первую очередь
        overview <= (?:общая картина|общую картину)
        number of <= общее количество
    """,
    "es": r"""
        - <= por favor
        what changed <= (?:que (?:ha )?cambiado|que cambio|que hay de nuevo)
        spending score <= (?:puntuacion(?:es)?|puntaje|indice|score) de gastos?
        income <= (?:ingresos? anual(?:es)?|salario anual)
        why <= (?:por que|porque|porqu[eé]|pq|xq)
        older than <= (?:mayores de|mas (?:viejos|grandes) que)
        younger than <= (?:menores de|mas jovenes que)
        over <= (?:mas de|por encima de|arriba de)(?= \d)
        under <= (?:menos de|por debajo de)(?= \d)
        per segment <= (?:por segmento|por grupo)
        per segment <= (?:en|para|de) cada segmento
        per segment <= (?:en|para|de) todos los segmentos
        how was this found <= como (?:se )?(?:encontr|eligi|escogi|hicist|hicier)\w*
        how was this found <= como (?:se )?(?:calcul|defini|armast|formast)\w*
        how was this found <= como (?:se )?(?:dividist|dividier|separast)\w*
        what can you do <= (?:que (?:puedes|sabes|podes) hacer|para que sirves)
        how does this work <= como (?:funciona|funcionas|se usa|te uso|lo uso|usarte)
        how do i upload <= como (?:subo|cargo|envio|mando) (?:el |un |mi |los )?(?:archivo|datos)\w*
        hello <= buen(?:os|as) (?:dias|tardes|noches)
        hello <= buen dia
        thanks <= (?:muchas|mil) gracias
        share of <= (?:que |cual es el )?(?:porcentaje|proporcion|parte)(?: de)?
        what is the meaning of <= que (?:significa|quiere decir)
        for my boss <= para (?:mi |el |la |nuestro |nuestra )?(?:jefe|jefa|gerente|equipo)
        for my boss <= para (?:mi |el |la |nuestro |nuestra )?(?:director|directora)
        how old <= (?:cuantos anos tienen|que edad tienen)
        number of <= (?:numero|cantidad) de
        how big is <= (?:que tan|cuan) grande es
        most rich <= mas (?:ricos|ricas|adinerados)
        excel <= hoja de calculo
        ordinal 1 <= primer[oa]?
        ordinal 2 <= segund[oa]
        ordinal 3 <= tercer[oa]?
        ordinal 4 <= cuart[oa]
        ordinal 5 <= quint[oa]
        ordinal 6 <= sext[oa]
        ordinal 7 <= s[eé]ptim[oa]
        ordinal 8 <= octav[oa]
        ordinal 9 <= noven[oa]
        ordinal 10 <= d[eé]cim[oa]
        moved <= (?:se movieron|cambiaron de segmento)
        we <= nosotros
        overview <= (?:vision|panorama) general
    """,
    "pt_BR": r"""
        - <= (?:por favor|por gentileza)
        what changed <= (?:o que mudou|que mudou|o que ha de novo|o que tem de novo)
        spending score <= (?:pontuacao|indice|score) de (?:gastos?|consumo)
        income <= (?:renda|salario|rendimento) anual
        why <= (?:por que|porque|por qual motivo|pq)
        who is <= quem (?:e|eh)
        older than <= (?:maiores de|mais velh\w* (?:que|do que))
        younger than <= (?:menores de|mais nov\w* (?:que|do que)|mais jove\w* (?:que|do que))
        over <= (?:mais de|acima de)(?= \d)
        under <= (?:menos de|abaixo de)(?= \d)
        most young <= mais (?:novos|novas|jovens)
        per segment <= (?:por segmento|por grupo)
        per segment <= (?:em|para|de) cada segmento
        per segment <= (?:em|para|de) todos os segmentos
        how was this found <= como (?:voce |vc |tu )?(?:se )?(?:encontrou|achou|escolheu)\w*
        how was this found <= como (?:voce |vc |tu )?(?:se )?(?:definiu|calculou|fez)\w*
        how was this found <= como (?:voce |vc |tu )?(?:se )?(?:montou|chegou)\w*
        how was this found <= como (?:voce |vc |tu )?(?:dividiu|separou)\w*
        how was this found <= como (?:os |esses |estes )?segmentos foram
        what can you do <= o que (?:voce |vc |tu )?(?:pode|sabe|consegue) fazer
        what can you do <= pra que (?:voce )?serve
        how does this work <= como (?:isso |isto |voce |o bot )?funciona
        how does this work <= como (?:eu )?(?:uso|usar|te uso)
        how do i upload <= como (?:eu )?(?:envio|mando|subo|carrego) (?:o |um |meu |os )?arquivo\w*
        how do i upload <= como (?:eu )?(?:envio|mando|subo|carrego) (?:os |meus )?dados
        hello <= (?:bom dia|boa tarde|boa noite)
        thanks <= muito obrigad[oa]
        share of <= (?:qual (?:e )?(?:a )?)?(?:porcentagem|percentagem|proporcao|parcela)(?: de)?
        what is the meaning of <= o que (?:significa|quer dizer)
        for my boss <= (?:para|pra|pro) (?:o |a )?(?:meu |minha |nosso |nossa )?(?:chefe|gerente)
        for my boss <= (?:para|pra|pro) (?:o |a )?(?:meu |minha |nosso |nossa )?(?:equipe|time)
        for my boss <= (?:para|pra|pro) (?:o |a )?(?:meu |minha |nosso |nossa )?diretor\w*
        how old <= (?:quantos anos (?:eles )?tem|que idade tem)
        number of <= (?:numero|quantidade) de
        we <= a gente
        should <= vale a pena
        overview <= (?:visao|panorama) geral
        show <= me (?:da|de)
        ordinal 1 <= primeir[oa]
        ordinal 2 <= segund[oa]
        ordinal 3 <= terceir[oa]
        ordinal 4 <= quart[oa]
        ordinal 5 <= quint[oa]
        ordinal 6 <= sext[oa]
        ordinal 7 <= setim[oa]
        ordinal 8 <= oitav[oa]
        ordinal 9 <= non[oa]
        ordinal 10 <= decim[oa]
        moved <= mudaram de segmento
    """,
    "id": r"""
        what changed <= (?:apa (?:saja )?yang (?:berubah|baru)|ada perubahan apa)
        spending score <= (?:skor|nilai) (?:belanja|pengeluaran|pembelian)
        income <= (?:pendapatan|penghasilan|gaji) tahunan
        why <= (?:kenapa|mengapa|knp|napa)
        older than <= (?:lebih tua dari|(?:di atas|diatas) (?:umur|usia))
        older than <= (?:berumur|berusia|umur|usia) (?:di atas|diatas)
        younger than <= (?:lebih muda dari|(?:di bawah|dibawah) (?:umur|usia))
        younger than <= (?:berumur|berusia|umur|usia) (?:di bawah|dibawah)
        over <= (?:lebih dari|di atas|diatas)(?= \d)
        under <= (?:kurang dari|di bawah|dibawah)(?= \d)
        per segment <= (?:per|tiap|setiap|masing-masing|tiap-tiap) segmen
        per segment <= per kelompok
        per segment <= (?:di|untuk|dari) semua segmen
        how was this found <= (?:bagaimana|gimana) [\w ]{0,24}(?:ditemukan|dibuat|dipilih)
        how was this found <= (?:bagaimana|gimana) [\w ]{0,24}(?:ditentukan|dibentuk)
        how was this found <= cara menemukan
        how was this found <= (?:bagaimana|gimana) (?:kamu |anda )?(?:membagi|memisahkan)
        how was this found <= (?:bagaimana|gimana) (?:kamu |anda )?mengelompokkan
        who is <= siapa(?= #?\d| pelanggan| anggota| konsumen| pembeli| nasabah)
        what can you do <= apa (?:saja )?yang bisa (?:kamu |anda |kau )?(?:lakukan|kerjakan)
        what can you do <= (?:kamu )?bisa apa(?: saja)?
        how does this work <= (?:bagaimana|gimana) (?:cara )?(?:pakai|memakai|menggunakan|pake)\w*
        how does this work <= cara (?:pakai|memakai|menggunakan|pake)\w*
        how does this work <= (?:bagaimana|gimana) (?:ini|bot ini) bekerja
        how does this work <= cara kerja\w*
        how do i upload <= (?:bagaimana|gimana) (?:cara )?(?:mengunggah|unggah) (?:file|data|berkas)
        how do i upload <= (?:bagaimana|gimana) (?:cara )?upload (?:file|data|berkas)
        how do i upload <= (?:bagaimana|gimana) (?:cara )?(?:kirim|mengirim) (?:file|data|berkas)
        hello <= selamat (?:pagi|siang|sore|malam)
        thanks <= (?:terima kasih|makasih)(?: banyak)?
        share of <= (?:berapa )?(?:persen|persentase|proporsi)(?: dari)?
        what is the meaning of <= (?:apa (?:arti|maksud)(?:nya)?|arti dari|maksud dari)
        for my boss <= (?:untuk|buat) (?:bos|atasan|manajer|direktur|tim|pimpinan)\w*
        average <= (?:rata-rata|rata2)
        men <= (?:laki-laki|laki2)
        most <= paling banyak
        highest <= (?:paling tinggi|tertinggi)
        lowest <= (?:paling rendah|terendah)
        least <= paling sedikit
        how old <= (?:berapa (?:umur|usia)|(?:umur|usia) berapa)
        how big is <= seberapa besar
        overview <= gambaran umum
        so many <= banyak (?:sekali|banget)
        ordinal 1 <= pertama
        ordinal 2 <= kedua
        ordinal 3 <= ketiga
        ordinal 4 <= keempat
        ordinal 5 <= kelima
        ordinal 6 <= keenam
        ordinal 7 <= ketujuh
        ordinal 8 <= kedelapan
        ordinal 9 <= kesembilan
        ordinal 10 <= kesepuluh
        win back <= (?:merebut|mendapatkan) kembali
    """,
}
